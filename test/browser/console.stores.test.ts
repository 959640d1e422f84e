import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MINUTE } from '../../src/lib/clock.js';
import { secretSentTo } from '../provisioning/provisioning-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import type { SeededMerchant } from '../support/test-app.js';
import { describeBrowser, expectAccessible, expectAllTranslated, launchBrowser, WebApp } from './support/browser.js';
import { inLanguage, openSignedIn } from './support/console.js';

// Issue 13 item 7 in the browser: on the Security page the owner changes a store's refund policy (thresholds, a daily
// cap) after re-authenticating and the API answers the new policy; adds a notification recipient whose code, read
// where the phone would receive it, verifies it; a manager reads the policies without a way to change them and sees
// no recipients. The page in both languages without missing texts or serious axe findings.
describeBrowser.each(DIALECTS)('console: refund policies and notification recipients [%s]', (dialect) => {
  let web: WebApp;
  let browser: Browser;
  let m: SeededMerchant;
  let owner: StaffClient;

  beforeAll(async () => {
    [web, browser] = await Promise.all([WebApp.start(dialect), launchBrowser()]);
    m = await web.test.seedMerchant();
    owner = await StaffClient.signIn(web.test, m.demo.owner.login, m.demo.owner.password);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  const shown = (page: Page, text: string | RegExp) =>
    expect.poll(() => page.getByText(text).count(), { timeout: 15_000 }).toBeGreaterThan(0);
  const status = (page: Page, text: string | RegExp) =>
    expect
      .poll(() => page.getByRole('status').filter({ hasText: text }).count(), { timeout: 15_000 })
      .toBeGreaterThan(0);

  it('the owner changes a store’s policy (re-authenticated) and the API answers it', async () => {
    const store = m.demo.stores[0];
    if (!store) throw new Error('demo merchant without stores');
    const { context, page } = await openSignedIn(web, browser, m.demo.owner, '/console/security?lang=en');
    await expect
      .poll(() => page.getByRole('heading', { name: 'Refund policies and thresholds', level: 2 }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    const list = page.getByRole('list', { name: 'Refund policies of the stores' });
    await expect.poll(() => list.getByText('Up to ¥200.00: the refund key alone').count(), { timeout: 15_000 }).toBe(2);
    await page.getByRole('button', { name: `Edit refund policy of ${store.name}` }).click();
    const form = page.getByRole('form', { name: `Refund policy of ${store.name}` });
    await form.getByRole('spinbutton', { name: 'Refund key alone up to' }).fill('300');
    await form.getByRole('spinbutton', { name: 'Daily refund count per operator' }).fill('20');
    await form.getByRole('switch', { name: 'Original tender only' }).click();
    web.test.clock.advance(6 * MINUTE); // the sign-in is older than 5 minutes: the server asks again
    await form.getByRole('button', { name: 'Save policy' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: 'Confirm it is you' });
    await expect.poll(() => dialog.count(), { timeout: 15_000 }).toBe(1);
    await dialog.getByLabel('Password', { exact: true }).fill(m.demo.owner.password);
    await dialog.getByRole('button', { name: 'Confirm' }).click();
    await status(page, `The refund policy of “${store.name}” was saved.`);
    await shown(page, 'Up to ¥300.00: the refund key alone');
    await shown(page, 'Each operator at most 20 refunds a day');
    await shown(page, 'Card and QR sales may also be refunded in cash');

    const answer = await owner.get(`/v1/stores/${store.id}/refund-policy`);
    expect(answer.body.policy).toMatchObject({
      thresholds: { key_only_max: 30_000, key_and_code_max: 200_000 },
      caps: { operator_daily_count: 20, operator_daily_amount: null },
      original_tender_only: false,
      velocity: { count: 3, window_minutes: 10 },
    });
    expect(answer.body.updated_by).toBe(owner.user.id);
    await expectAllTranslated(page);
    await expectAccessible(page);
    await context.close();
  }, 120_000);

  it('the owner adds a recipient by phone; the code it received verifies it', async () => {
    const phone = '13712340001';
    const { context, page } = await openSignedIn(web, browser, m.demo.owner, '/console/security?lang=en');
    const section = page.getByRole('form', { name: 'Add recipient' });
    await expect.poll(() => section.count(), { timeout: 15_000 }).toBe(1);
    await section.getByRole('textbox', { name: 'Recipient phone number' }).fill(phone);
    await section.getByRole('textbox', { name: 'Recipient name' }).fill('Finance');
    await section.getByRole('button', { name: 'Add recipient' }).click();
    await status(page, `A code was sent to ${phone}.`);
    const recipients = page.getByRole('region', { name: 'Notification recipients' });
    await expect.poll(() => recipients.getByText('Waiting for the code').count(), { timeout: 15_000 }).toBe(1);
    // A wrong code is refused with the server's reason; the one the phone received verifies it.
    const code = await secretSentTo(web.test, phone, 'recipient_verification', 'code');
    const field = recipients.getByRole('textbox', { name: 'Code received by Finance' });
    await field.fill(code === '000000' ? '111111' : '000000');
    await recipients.getByRole('button', { name: 'Verify' }).click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'The code is wrong or expired' }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await field.fill(code);
    await recipients.getByRole('button', { name: 'Verify' }).click();
    await status(page, '"Finance" is verified');
    await expect.poll(() => recipients.getByText('Verified', { exact: true }).count(), { timeout: 15_000 }).toBe(1);
    const listed = await owner.get('/v1/notification-recipients');
    expect(listed.body.data).toEqual([
      expect.objectContaining({ address: phone, label: 'Finance', status: 'verified' }),
    ]);
    for (const lang of ['zh-CN', 'en'] as const) {
      await inLanguage(page, lang);
      await expect.poll(() => page.getByRole('heading', { level: 1 }).count(), { timeout: 15_000 }).toBe(1);
      await page.waitForLoadState('networkidle');
      await expectAllTranslated(page);
      await expectAccessible(page);
    }
    await context.close();
  }, 120_000);

  it('a manager reads every policy without Edit, and sees no recipients', async () => {
    const { context, page } = await openSignedIn(web, browser, m.demo.manager, '/console/security?lang=en');
    await shown(page, 'Only owners can change it.');
    const list = page.getByRole('list', { name: 'Refund policies of the stores' });
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    expect(await page.getByRole('button', { name: /^Edit refund policy of / }).count()).toBe(0);
    expect(await page.getByRole('heading', { name: 'Notification recipients' }).count()).toBe(0);
    await context.close();
  }, 60_000);
});
