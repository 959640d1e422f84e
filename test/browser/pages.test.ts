import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { describeBrowser, expectAccessible, expectAllTranslated, launchBrowser, WebApp } from './support/browser.js';

// The pages are served by the API server itself: / goes to the console, unknown paths inside an app are its own pages,
// the language is chosen by ?lang= and remembered, and both apps start translated and accessible in both languages.
describeBrowser.each(DIALECTS)('pages served by the API server [%s]', (dialect) => {
  let web: WebApp;
  let browser: Browser;
  beforeAll(async () => {
    [web, browser] = await Promise.all([WebApp.start(dialect), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('/ redirects to the console; a deep link inside an app gets the app; assets are cached, the shell is not', async () => {
    const root = await fetch(`${web.baseUrl}/`, { redirect: 'manual' });
    expect(root.status).toBe(302);
    expect(root.headers.get('location')).toBe('/console/');
    const deep = await fetch(`${web.baseUrl}/console/approvals/xyz`);
    expect(deep.status).toBe(200);
    expect(deep.headers.get('cache-control')).toBe('no-cache');
    const html = await deep.text();
    const asset = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(asset).toBeDefined();
    const script = await fetch(`${web.baseUrl}${asset}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('cache-control')).toContain('immutable');
    const missing = await fetch(`${web.baseUrl}/console/assets/nope.js`);
    expect(missing.status).toBe(200);
    expect(missing.headers.get('content-type')).toContain('text/html');
    const api404 = await fetch(`${web.baseUrl}/v1/nope`);
    expect(api404.status).toBe(404);
    expect(((await api404.json()) as { error: { code: string } }).error.code).toBe('ROUTE_NOT_FOUND');
  });

  for (const [app, button] of [
    ['console', 'Sign in'],
    ['pos', 'Activate'],
  ] as const) {
    it(`/${app}: ?lang=en switches to English and is remembered; Chinese by default; translated and accessible`, async () => {
      const { context, page } = await web.open(browser, `/${app}/?lang=en`);
      await expect
        .poll(() => page.getByRole('button', { name: button, exact: true }).count(), { timeout: 10_000 })
        .toBe(1);
      expect(await page.evaluate(() => document.documentElement.lang)).toBe('en');
      await expectAllTranslated(page);
      await expectAccessible(page);
      await page.goto(`/${app}/`);
      await expect
        .poll(() => page.getByRole('button', { name: button, exact: true }).count(), { timeout: 10_000 })
        .toBe(1);
      await page.goto(`/${app}/?lang=zh-CN`);
      await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
      await expect.poll(() => page.getByRole('button', { name: button, exact: true }).count()).toBe(0);
      await expectAllTranslated(page);
      await expectAccessible(page);
      await context.close();
    });
  }
});
