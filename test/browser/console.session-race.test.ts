import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { SeededMerchant } from '../support/test-app.js';
import { describeBrowser, expectAccessible, launchBrowser, WebApp } from './support/browser.js';
import { openSignedIn } from './support/console.js';

// A re-authentication (and a factor's enrolment) gives the session a new token (docs/security.md "Sessions and MFA"),
// and a read that was already on its way with the old one is answered 401. That read raced the rotation; the person
// is still signed in, and the browser already holds the new cookie. The console asks who is signed in before it leaves
// for the sign-in page, and reads again when someone still is (web/console/src/session.tsx). The race is made real:
// the page's "who is signed in" read (GET /v1/auth/me, which the page does not retry on its own) is held at the
// network, the re-authentication answers, then the read goes on to the server with the cookie it was sent with, and
// the server refuses the old token.
describeBrowser.each(['sqlite'] as const)('console: a read that raced a new session token [%s]', (dialect) => {
  let web: WebApp;
  let browser: Browser;
  let m: SeededMerchant;

  beforeAll(async () => {
    [web, browser] = await Promise.all([WebApp.start(dialect), launchBrowser()]);
    m = await web.test.seedMerchant();
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  it('“who is signed in” answered 401 because it carried the token of before the re-authentication: the page stays', async () => {
    const { context, page } = await openSignedIn(web, browser, m.demo.owner, '/console/stores?lang=en');
    const storeName = m.demo.stores[0]?.name ?? '';
    await expect.poll(() => page.getByText(storeName).count(), { timeout: 15_000 }).toBeGreaterThan(0);

    const oldCookies = (await context.cookies(web.baseUrl)).map((c) => `${c.name}=${c.value}`).join('; ');
    let release = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    let arrived = () => {};
    const heldRead = new Promise<void>((resolve) => {
      arrived = resolve;
    });
    let holdNext = true;
    await page.route('**/v1/auth/me', async (route) => {
      if (!holdNext) return route.continue();
      holdNext = false;
      arrived();
      await released;
      // Sent before the rotation: the cookie it carries is the one of then. (The browser would attach its current
      // cookie to a continued request, so the real server is asked here, with the headers of then.)
      const answer = await route.fetch({ headers: { ...route.request().headers(), cookie: oldCookies } });
      await route.fulfill({ response: answer });
    });
    const refused: number[] = [];
    page.on('response', (response) => {
      if (new URL(response.url()).pathname === '/v1/auth/me' && response.status() === 401) refused.push(401);
    });

    await page.reload();
    await heldRead;
    const reauth = await page.evaluate(async (password) => {
      const csrf = /(?:^|;\s*)rk_csrf=([^;]+)/.exec(document.cookie)?.[1] ?? '';
      const answer = await fetch('/v1/auth/reauth', {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-csrf-token': decodeURIComponent(csrf) },
        body: JSON.stringify({ password }),
      });
      return answer.status;
    }, m.demo.owner.password);
    expect(reauth).toBe(200);
    release();

    await expect.poll(() => refused.length, { timeout: 15_000 }).toBe(1);
    await expect.poll(() => page.getByText(storeName).count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(new URL(page.url()).pathname).toBe('/console/stores');
    await context.close();
  });

  it('the loading screen shown while it asks who is signed in is readable (contrast) and accessible', async () => {
    const { context, page } = await web.open(browser, '/console/login');
    await page.route('**/v1/auth/me', () => {}); // never answered while the screen is checked
    await page.goto('/console/?lang=en');
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Loading…' }).count(), { timeout: 15_000 })
      .toBe(1);
    await expectAccessible(page);
    await context.close();
  });
});
