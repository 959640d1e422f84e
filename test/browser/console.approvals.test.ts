import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { codeOf, startRefund } from '../authorization/authz-helpers.js';
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

// 手机审批: a refund above the approval threshold appears on the owner's phone (375 px) within the polling interval,
// and two taps approve it; the terminal API then sees it go on. Another is denied with a reason, which is kept.
describeBrowser.each(DIALECTS)('console: approvals on a phone [%s]', (dialect) => {
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

  it('a pending ¥2,500.00 refund shows up live on a 375 px page and is approved there', async () => {
    const { context, page } = await web.open(browser, '/console/login?lang=en', VIEWPORTS.phone as never);
    await signInWithTotp(
      page,
      m.demo.owner.login,
      m.demo.owner.password,
      m.demo.owner.totp_secret,
      web.test.clock.now() + 30_000,
    );
    await page.goto('/console/approvals');
    await expect
      .poll(() => page.getByRole('heading', { name: 'Approvals', level: 1 }).count(), { timeout: 10_000 })
      .toBe(1);

    // Created after the page is open: the list shows it by polling.
    const refund = await startRefund(m.terminal, 250_000);
    const keyed = await m.terminal.post(`/v1/refunds/${refund.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: await codeOf(web.test, refund.id),
    });
    expect(keyed.body.status).toBe('pending_approval');
    const item = page.getByRole('listitem').filter({ hasText: '¥2,500.00' });
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    expect(await item.getByRole('button', { name: 'Deny' }).count()).toBe(1);
    await expectAllTranslated(page);
    await expectAccessible(page);
    await inLanguage(page, 'zh-CN');
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    await expectAllTranslated(page);
    await expectAccessible(page);
    await screenshot(page, 'console-approvals-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
    await screenshot(page, 'console-approvals-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await inLanguage(page, 'en');

    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(0);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Approved the refund of ¥2,500.00' }).count())
      .toBe(1);
    const after = await m.terminal.get(`/v1/refunds/${refund.id}`);
    expect(['processing', 'succeeded']).toContain(after.body.status);

    // Another one denied with a reason: the dialog asks for it, the refund ends, the reason is kept with the approval.
    const second = await startRefund(m.terminal, 300_000);
    const keyedAgain = await m.terminal.post(`/v1/refunds/${second.id}/authorize`, {
      refund_key: m.demo.refund_key,
      code: await codeOf(web.test, second.id),
    });
    expect(keyedAgain.body.status).toBe('pending_approval');
    const denied = page.getByRole('listitem').filter({ hasText: '¥3,000.00' });
    await expect.poll(() => denied.count(), { timeout: 10_000 }).toBe(1);
    await denied.getByRole('button', { name: 'Deny' }).click();
    const dialog = page.getByRole('dialog').filter({ hasText: 'Deny this refund' });
    await expect.poll(() => dialog.count(), { timeout: 10_000 }).toBe(1);
    await dialog.getByRole('textbox', { name: 'Reason' }).fill('金额与小票不符 / amount does not match the receipt');
    await dialog.getByRole('button', { name: 'Confirm denial' }).click();
    // 30 s: CI once waited more than 10 s here with both cores busy (a failure now prints the page, report-failures.ts).
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Denied the refund of ¥3,000.00' }).count(), {
        timeout: 30_000,
      })
      .toBe(1);
    await expect.poll(() => denied.count(), { timeout: 30_000 }).toBe(0);
    expect((await m.terminal.get(`/v1/refunds/${second.id}`)).body.status).toBe('canceled');
    const approval = await web.test.db
      .selectFrom('refund_approvals')
      .select(['status', 'decision_reason'])
      .where('refund_id', '=', second.id)
      .executeTakeFirstOrThrow();
    expect(approval).toEqual({
      status: 'denied',
      decision_reason: '金额与小票不符 / amount does not match the receipt',
    });
    await context.close();
  });
});
