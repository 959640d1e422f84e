import type { Browser, BrowserContext, Page } from 'playwright-core';
import { expect } from 'vitest';
import { StaffClient, totpCode } from '../../support/staff-client.js';
import { expectAccessible, expectAllTranslated, screenshot, VIEWPORTS, type WebApp } from './browser.js';

/**
 * Sign in on /console/login?lang=en with a password and the TOTP code of `secret` at `at` (the server's clock; pass a
 * step not used yet: each code is accepted once, and enrolment used the current one).
 */
export async function signInWithTotp(
  page: Page,
  login: string,
  password: string,
  secret: string,
  at: number,
): Promise<void> {
  await page.goto('/console/login?lang=en');
  await page.getByRole('textbox', { name: 'Login' }).fill(login);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('textbox', { name: 'Code' }).fill(totpCode(secret, at));
  await page.getByRole('button', { name: 'Verify' }).click();
  await expect
    .poll(() => page.getByRole('button', { name: 'Sign out' }).count(), { timeout: 15_000 })
    .toBe(1)
    .catch(async (error) => {
      // biome-ignore lint/performance/useDomNodeTextContent: Playwright's locator.innerText, the text a person sees
      throw new Error(`not signed in at ${page.url()}: ${await page.locator('body').innerText()}`, { cause: error });
    });
}

/** Switch the page to `lang` through ?lang= (remembered), keeping its path. */
export async function inLanguage(page: Page, lang: 'en' | 'zh-CN'): Promise<void> {
  const url = new URL(page.url());
  url.searchParams.set('lang', lang);
  await page.goto(url.toString());
  await expect.poll(() => page.evaluate(() => document.documentElement.lang)).toBe(lang);
}

/**
 * A browser context signed in as `person` through the API (password + second factor), its session cookies handed to
 * the browser, opened at `path`: for journeys about a page, not about signing in.
 */
export async function openSignedIn(
  web: WebApp,
  browser: Browser,
  person: { login: string; password: string },
  path: string,
  viewport: { width: number; height: number } = VIEWPORTS.desktop,
): Promise<{ context: BrowserContext; page: Page }> {
  const client = await StaffClient.signIn(web.test, person.login, person.password);
  const { context, page } = await web.open(browser, '/console/login', viewport);
  await context.addCookies([
    { name: 'rk_session', value: client.token, url: web.baseUrl, httpOnly: true, sameSite: 'Strict' },
    { name: 'rk_csrf', value: client.csrf, url: web.baseUrl, sameSite: 'Strict' },
  ]);
  await page.goto(path);
  return { context, page };
}

/**
 * A console page checked in both languages (every text translated, no serious or critical axe finding), with zh-CN
 * screenshots `console-<name>-desktop|phone` at 1280 and 375 px (checked there too); back in English at desktop size.
 * `zhHeading` is the page's level-1 heading in Chinese, awaited after the switch.
 */
export async function checkPageInBothLanguages(page: Page, name: string, zhHeading: string): Promise<void> {
  await expectAllTranslated(page);
  await expectAccessible(page);
  await inLanguage(page, 'zh-CN');
  await expect
    .poll(() => page.getByRole('heading', { name: zhHeading, level: 1 }).count(), { timeout: 15_000 })
    .toBe(1);
  await page.waitForLoadState('networkidle');
  await expectAllTranslated(page);
  await expectAccessible(page);
  await screenshot(page, `console-${name}-desktop`);
  await page.setViewportSize(VIEWPORTS.phone);
  await expectAccessible(page);
  await screenshot(page, `console-${name}-phone`);
  await page.setViewportSize(VIEWPORTS.desktop);
  await inLanguage(page, 'en');
}
