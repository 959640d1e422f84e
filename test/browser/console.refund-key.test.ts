import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DAY, MINUTE } from '../../src/lib/clock.js';
import { OWNER_PHONE, startRefund } from '../authorization/authz-helpers.js';
import { messagesTo } from '../mfa/mfa-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import type { SeededMerchant, TerminalClient } from '../support/test-app.js';
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
const STORE_KEY = 'Mango&Harbor-58!Quill';
/** "2026-12-05 14:03" as the page writes Beijing time. */
const beijing = (iso: string) => new Date(Date.parse(iso) + 8 * 3_600_000).toISOString().slice(0, 16).replace('T', ' ');

// The source article's flow on the refund-key page: the owner signs in (password + authenticator code), types a new
// key with live strength hints, types it again, saves; a mismatch and a weak key are refused with reasons, and the
// terminal API then accepts the new key for a refund. The page's key age, next reminder and expiry are the API's (and
// the reminder goes out then); a store's own key is set and removed, and that store's terminal follows.
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

    // Key age, next reminder and expiry as the API answers them (the reminder 7 days before the 90 days).
    const keyState = page.getByRole('region', { name: 'Key status' });
    const merchantKey = await merchantKeyState();
    expect(merchantKey.age_days).toBe(0);
    expect(Date.parse(merchantKey.reminder_at) - Date.parse(merchantKey.set_at)).toBe(83 * DAY);
    await expect.poll(() => keyState.textContent(), { timeout: 10_000 }).toContain('0 days old');
    const text = (await keyState.textContent()) ?? '';
    expect(text).toContain(`Next change reminder: ${beijing(merchantKey.reminder_at)}`);
    expect(text).toContain(`Expires: ${beijing(merchantKey.expires_at)}`);

    // A store's own key: chosen in "Applies to", saved; that store's terminal takes it, the default no longer.
    const other = m.demo.stores[1];
    const otherTerminal = m.terminals.find((x) => x.storeId === other?.id);
    if (!other || !otherTerminal) throw new Error('the demo merchant has one store');
    await page.getByRole('combobox', { name: 'Applies to' }).click();
    // antd draws its options outside the accessibility tree's listbox; each carries its label as its title.
    await page.getByTitle(`Store: ${other.name}`, { exact: true }).click();
    await expect.poll(() => keyState.textContent(), { timeout: 10_000 }).toContain('uses the merchant default key');
    await page.getByLabel('New refund key').fill(STORE_KEY);
    await page.getByLabel('Confirm refund key').fill(STORE_KEY);
    await expect.poll(() => status.textContent(), { timeout: 10_000 }).toContain('acceptable');
    await page.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => keyState.textContent(), { timeout: 10_000 }).toContain('0 days old');
    expect(await keyAccepted(otherTerminal, STORE_KEY)).toBe(true);
    expect(await keyAccepted(otherTerminal, GOOD_KEY)).toBe(false);
    // Back to the default: the button removes the store's own key, and the default works there again.
    await page.getByRole('button', { name: 'Use the merchant default key' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'now uses the merchant default key' }).count(), {
        timeout: 10_000,
      })
      .toBe(1);
    await expect.poll(() => keyState.textContent(), { timeout: 10_000 }).toContain('uses the merchant default key');
    expect(await keyAccepted(otherTerminal, GOOD_KEY)).toBe(true);
    await page.getByRole('combobox', { name: 'Applies to' }).click();
    await page.getByTitle('All stores (merchant default)', { exact: true }).click();
    await expect.poll(() => keyState.textContent(), { timeout: 10_000 }).toContain('0 days old');

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

    // The reminder the page announces is sent then, not before: one key_age_reminder to the owner.
    const reminderAt = Date.parse(merchantKey.reminder_at);
    const reminders = async () => (await messagesTo(web.test, OWNER_PHONE, 'key_age_reminder')).length;
    const before = await reminders();
    web.test.clock.advance(reminderAt - web.test.clock.now() - MINUTE);
    await web.test.services.refundKeys.remindExpiring();
    expect(await reminders()).toBe(before);
    web.test.clock.advance(2 * MINUTE);
    await web.test.services.refundKeys.remindExpiring();
    expect(await reminders()).toBe(before + 1);
  }, 180_000);

  /** The merchant-wide key's state as GET /v1/refund-key answers it. */
  async function merchantKeyState() {
    const owner = await StaffClient.signIn(web.test, m.demo.owner.login, m.demo.owner.password);
    const answer = await owner.get('/v1/refund-key');
    type KeyState = { scope: string; set_at: string; reminder_at: string; expires_at: string; age_days: number };
    const state = (answer.body.data as KeyState[]).find((s) => s.scope === 'merchant');
    if (!state) throw new Error(`no merchant key: ${JSON.stringify(answer.body)}`);
    return state;
  }

  /** Whether a refund on this terminal needing only the key is authorized with `key`. */
  async function keyAccepted(terminal: TerminalClient, key: string): Promise<boolean> {
    const refund = await startRefund(terminal, 10_000);
    const answer = await terminal.post(`/v1/refunds/${refund.id}/authorize`, { refund_key: key });
    if (answer.status !== 200 && answer.body?.error?.code !== 'REFUND_KEY_INVALID') {
      throw new Error(
        `unexpected answer ${answer.status} ${JSON.stringify(answer.body)} (required ${refund.authorization.required})`,
      );
    }
    return answer.status === 200;
  }
});
