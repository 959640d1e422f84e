// Issue 15 item 5 on the pages: the public application page (在线申请) — fill the form, verify the phone with the code
// that arrives at the SMPP server, submit, read the status — and the platform admin's review queue. Chinese first and
// English, accessible, every text translated; screenshots in zh-CN at desktop and 375 px. One database (the pages do
// not depend on it; the API suites test both).
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CREDIT_CODE } from '../applications/apply-helpers.js';
import { person } from '../mfa/mfa-helpers.js';
import { FakeSmsc } from '../notify/support/smsc.js';
import { knownSecondFactor, StaffClient } from '../support/staff-client.js';
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

const PHONE = '13912345678';

describeBrowser.each(['sqlite'] as const)('console: apply for terminals and review [%s]', (dialect) => {
  let web: WebApp;
  let browser: Browser;
  const smsc = new FakeSmsc();
  beforeAll(async () => {
    await smsc.start();
    [web, browser] = await Promise.all([WebApp.start(dialect, { env: { SMPP_URL: smsc.url } }), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await smsc.stop();
  });

  /** The newest application code that reached the phone through the SMPP server. */
  async function smsCode(page: Page): Promise<string> {
    for (let i = 0; i < 100; i++) {
      await web.test.services.delivery.deliverDue();
      const code = smsc
        .messages()
        .filter((sms) => sms.destination.endsWith(PHONE))
        .map((sms) => /(?:验证码|code )(\d{6})/.exec(sms.text)?.[1])
        .findLast(Boolean);
      if (code) return code;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`no code by SMS; the page says: ${await page.locator('body').textContent()}`);
  }

  async function checkBothLanguages(page: Page, heading: string | RegExp): Promise<void> {
    await inLanguage(page, 'zh-CN');
    await expect.poll(() => page.getByRole('heading', { level: 1, name: heading }).count()).toBe(1);
    await expectAllTranslated(page);
    await expectAccessible(page);
    await inLanguage(page, 'en');
    await expectAllTranslated(page);
    await expectAccessible(page);
  }

  it('fill the form, verify the phone by SMS, submit, follow the status; screenshots', async () => {
    const { context, page } = await web.open(browser, '/console/apply?lang=zh-CN');
    await checkBothLanguages(page, '申请 POS 终端');
    await page.getByRole('textbox', { name: 'Phone' }).fill(PHONE);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.getByRole('textbox', { name: 'Verification code' }).fill(await smsCode(page));
    await page.getByRole('button', { name: 'Verify phone' }).click();
    await expect.poll(() => page.getByRole('status').filter({ hasText: 'Phone verified' }).count()).toBe(1);
    await page.getByRole('textbox', { name: 'Business name' }).fill('厦门鼓浪屿咖啡馆');
    await page.getByRole('textbox', { name: 'Unified social credit code' }).fill(CREDIT_CODE);
    await page.getByRole('textbox', { name: 'Legal representative' }).fill('陈一鸣');
    await page.getByRole('textbox', { name: 'Business address' }).fill('福建省厦门市思明区龙头路 12 号');
    await page.getByRole('textbox', { name: 'Settlement bank' }).fill('中国银行厦门分行');
    const account = page.getByRole('textbox', { name: 'Settlement account number' });
    await account.fill('6217 8500 0000 1234 567');
    await page.getByRole('spinbutton', { name: 'Number of terminals' }).fill('2');
    await page.getByRole('radio', { name: /Small business/ }).check();
    await expect.poll(() => account.inputValue()).toBe('**** **** 4567'); // masked once the field is left
    web.test.clock.advance(6_000); // the minimum fill time on the server's clock
    await page.getByRole('button', { name: 'Submit application' }).click();
    await expect
      .poll(() => page.getByRole('heading', { level: 1, name: 'Application status' }).count(), { timeout: 20_000 })
      .toBe(1);
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Submitted, waiting for review' }).count())
      .toBe(1);
    expect(page.url()).toMatch(/\/console\/apply\/status#aps_/);
    expect(await page.locator('body').textContent()).toContain('**** **** 4567');
    await checkBothLanguages(page, '申请状态');
    await inLanguage(page, 'zh-CN');
    await screenshot(page, 'console-apply-status-desktop');
    await context.close();

    // The form in Chinese, empty, at desktop and phone width.
    const fresh = await web.open(browser, '/console/apply?lang=zh-CN');
    await expect.poll(() => fresh.page.getByRole('radio').count()).toBe(3);
    await screenshot(fresh.page, 'console-apply-desktop');
    await fresh.page.setViewportSize(VIEWPORTS.phone);
    await expectAccessible(fresh.page);
    await screenshot(fresh.page, 'console-apply-phone');
    await fresh.context.close();
  }, 240_000);

  it('the admin reviews in the queue and approves with a rate plan', async () => {
    const who = await person(web.test, null, 'admin');
    await StaffClient.signIn(web.test, who.login, who.password); // enrols TOTP through the API
    const { totpSecret } = knownSecondFactor(web.test, who.login);
    const { context, page } = await web.open(browser, '/console/login?lang=en');
    await signInWithTotp(page, who.login, who.password, totpSecret ?? '', web.test.clock.now() + 30_000);
    await page.goto('/console/applications?lang=en');
    const card = page.getByRole('article', { name: '厦门鼓浪屿咖啡馆' });
    await expect.poll(() => card.count(), { timeout: 15_000 }).toBe(1);
    await checkBothLanguages(page, '入网申请审核');
    await inLanguage(page, 'zh-CN');
    await screenshot(page, 'console-applications-desktop');
    await page.setViewportSize(VIEWPORTS.phone);
    await screenshot(page, 'console-applications-phone');
    await page.setViewportSize(VIEWPORTS.desktop);
    await inLanguage(page, 'en');
    await card.getByRole('button', { name: 'Approve' }).click();
    await page.getByRole('button', { name: 'Confirm' }).click();
    await expect
      .poll(
        () =>
          page
            .getByRole('status')
            .filter({ hasText: /Approved: .* 2 terminals/ })
            .count(),
        { timeout: 15_000 },
      )
      .toBe(1);
    const row = await web.test.db
      .selectFrom('applications')
      .select(['status', 'merchant_id'])
      .executeTakeFirstOrThrow();
    expect(row.status).toBe('approved');
    expect(row.merchant_id).toMatch(/^mch_/);
    await context.close();
  }, 120_000);
});
