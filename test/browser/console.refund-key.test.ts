import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startRefund } from '../authorization/authz-helpers.js';
import { DIALECTS } from '../support/databases.js';
import type { SeededMerchant } from '../support/test-app.js';
import {
  describeBrowser,
  expectAccessible,
  expectAllTranslated,
  launchBrowser,
  screenshot,
  VIEWPORTS,
  WebApp,
} from './support/browser.js';
import { inLanguage, signInWithTotp } from './support/console.js';

const GOOD_KEY = 'Kq7#vW2!pL9@zR-Lotus';

// The source article's flow on the refund-key page: the owner signs in (password + authenticator code), types a new
// key with live strength hints, types it again, saves; a mismatch and a weak key are refused with reasons, and the
// terminal API then accepts the new key for a refund.
describeBrowser.each(DIALECTS)('console: sign-in and refund key [%s]', (dialect) => {
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

  it('sign-in page: translated, accessible, screenshots', async () => {
    const { context, page } = await web.open(browser, '/console/login?lang=zh-CN');
    await expect.poll(() => page.getByRole('button', { name: /^登\s?录$/ }).count(), { timeout: 15_000 }).toBe(1);
    await expectAllTranslated(page);
    await expectAccessible(page);
    await screenshot(page, 'console-sign-in-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'console-sign-in-phone');
    await inLanguage(page, 'en');
    await page.getByRole('button', { name: 'Sign in with QR code' }).click();
    await expect.poll(() => page.getByRole('img', { name: 'Login QR code' }).count(), { timeout: 10_000 }).toBe(1);
    await expectAllTranslated(page);
    await expectAccessible(page);
    await context.close();
  });

  it('owner signs in with password + TOTP; mismatch and weak key refused with reasons; a good key is saved and works on the terminal', async () => {
    const { context, page } = await web.open(browser, '/console/login?lang=en');
    await signInWithTotp(
      page,
      m.demo.owner.login,
      m.demo.owner.password,
      m.demo.owner.totp_secret,
      web.test.clock.now() + 30_000,
    );
    for (const name of [
      'Dashboard',
      'Transactions',
      'Approvals',
      'Refund key',
      'Staff',
      'Stores',
      'Terminals',
      'Security',
      'Audit log',
    ]) {
      expect(await page.getByRole('link', { name, exact: true }).count(), name).toBe(1);
    }
    await page.getByRole('link', { name: 'Refund key' }).click();
    await expect.poll(() => page.getByRole('heading', { name: 'Refund key', level: 1 }).count()).toBe(1);
    const current = page.getByLabel('Current refund key');
    await expect.poll(() => current.count(), { timeout: 10_000 }).toBe(1);
    const status = page.getByRole('status').filter({ hasText: /Strength/ });

    // Mismatch: refused, with the reason, and the old key still works.
    await current.fill(m.demo.refund_key);
    await page.getByLabel('New refund key').fill(GOOD_KEY);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('acceptable');
    await page.getByLabel('Confirm refund key').fill(`${GOOD_KEY}?`);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toContain('does not match');

    // Weak key: the live verdict says so with reasons, and saving is refused.
    await page.getByLabel('New refund key').fill('password1');
    await page.getByLabel('Confirm refund key').fill('password1');
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('too weak');
    expect(await status.getByRole('listitem').count()).toBeGreaterThan(0);
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => page.getByRole('alert').textContent(), { timeout: 10_000 }).toMatch(/weak/i);
    await expectAllTranslated(page);
    await expectAccessible(page);

    // A good key, typed twice: saved, with a clear message and Sign out in sight.
    await page.getByLabel('New refund key').fill(GOOD_KEY);
    await page.getByLabel('Confirm refund key').fill(GOOD_KEY);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('acceptable');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Refund key saved' }).count(), { timeout: 10_000 })
      .toBe(1);
    expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(true);

    // The terminal API accepts the new key (a refund needing the key only) and refuses the old one.
    const refund = await startRefund(m.terminal, 10_000);
    expect(refund.authorization.required).toEqual(['refund_key']);
    const old = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: m.demo.refund_key });
    expect(old.status).toBe(422);
    const ok = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: GOOD_KEY });
    expect(ok.status, JSON.stringify(ok.body)).toBe(200);
    expect(['processing', 'succeeded']).toContain(ok.body.status);

    await inLanguage(page, 'zh-CN');
    await expect
      .poll(() => page.getByRole('heading', { name: '退款密钥', level: 1 }).count(), { timeout: 10_000 })
      .toBe(1);
    await expectAllTranslated(page);
    await expectAccessible(page);
    await screenshot(page, 'console-refund-key-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await expectAccessible(page);
    await screenshot(page, 'console-refund-key-phone');
    await context.close();
  });
});
