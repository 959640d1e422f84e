import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MINUTE } from '../../src/lib/clock.js';
import { publishUrgentAnnouncement } from '../provisioning/provisioning-helpers.js';
import { describeBrowser, launchBrowser } from './support/browser.js';
import { checkScreen, expectScreen, PosWorld, shoot, statusText, TEXTS } from './support/pos-terminal.js';

const OWNER_PHONE = '13800138000';
const T = TEXTS['zh-CN'];

// Issue 14: every screen of the terminal app in Chinese (the default), translated and accessible, photographed at the
// phone (360×640) and 7-inch terminal (800×1280) sizes for docs/terminal.md. Controls are found by the names a
// Chinese cashier sees, taken from the app's own catalogue. Also the states that only a refund gone wrong shows:
// a wrong code, an expired refund, locked refunds, and the offline banner.
// The screens are the same pages whatever database is behind the server, so this tour runs on SQLite only; the two
// stories (pos.restaurant, pos.mall), the SDK and the CLI lane run the same flows on both databases.
describeBrowser.each(['sqlite'] as const)('terminal app: every screen in Chinese [%s]', (dialect) => {
  let world: PosWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let cardSale = '';

  beforeAll(async () => {
    [world, browser] = await Promise.all([PosWorld.start(dialect), launchBrowser()]);
    ({ context, page } = await world.open(browser, 'zh-CN'));
    // An urgent announcement of the platform, for the home screen.
    await publishUrgentAnnouncement(world.web.test, '系统升级', '今晚 23:00 至 23:30 暂停结算。');
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await world?.close();
  });

  async function visit(name: string) {
    await checkScreen(page);
    await shoot(page, name);
  }

  const button = (name: string) => page.getByRole('button', { name, exact: true });
  /** Each part starts at home, whatever the previous one left on screen (a reload keeps terminal and operator). */
  async function home() {
    await page.goto('/pos/');
    await expectScreen(page, T.home.title);
  }
  const textbox = (name: string) => page.getByRole('textbox', { name, exact: true });

  it('activation, sign-in and home', async () => {
    await expectScreen(page, T.activation.title);
    expect(await page.evaluate(() => document.documentElement.lang)).toBe('zh-CN');
    await textbox(T.activation.code).fill(world.store(0).terminals[0]?.activation_code ?? '');
    await visit('activation');
    await button(T.activation.submit).click();
    await expectScreen(page, T.signIn.title);
    const operator = world.store(0).operators[0];
    await textbox(T.signIn.operatorNo).fill(operator?.operator_no ?? '');
    await page.getByLabel(T.signIn.password).click();
    await visit('sign-in');
    for (const digit of operator?.password ?? '') await button(digit).click();
    await button(T.signIn.submit).click();
    await expectScreen(page, T.home.title);
    const notice = page.getByRole('alert').filter({ hasText: '系统升级' });
    await expect.poll(() => notice.count(), { timeout: 10_000 }).toBe(1);
    expect(await notice.getByRole('heading', { name: `${T.announcements.severity.urgent} · 系统升级` }).count()).toBe(
      1,
    );
    await visit('home');
    await notice.getByRole('button', { name: T.announcements.acknowledge }).click();
    await expect.poll(() => notice.count()).toBe(0);
    // Put away on this device: after a reload the list comes again from the server and it stays hidden.
    const listed = page.waitForResponse((r) => r.url().includes('/v1/announcements') && r.status() === 200);
    await page.reload();
    await listed;
    await expectScreen(page, T.home.title);
    await page.waitForTimeout(200);
    expect(await page.getByRole('region', { name: T.announcements.title }).count()).toBe(0);
    // The shift's session is in sessionStorage only (closing the app signs the cashier out); the key stays on the device.
    const kept = await page.evaluate(() => ({
      device: Object.keys(localStorage).join(' '),
      shift: Object.keys(sessionStorage).join(' '),
    }));
    expect(kept.device).not.toContain('operator');
    expect(kept.device).toContain('terminal');
    expect(kept.shift).toContain('refundkey.pos.sdk.operator_session');
  });

  it('is installable: a manifest with its icons at the sizes installers ask for, all served', async () => {
    const manifest = await page.evaluate(async () => {
      const link = document.querySelector<HTMLLinkElement>('link[rel="manifest"]');
      return link ? ((await (await fetch(link.href)).json()) as { icons: { src: string; sizes: string }[] }) : null;
    });
    expect(manifest?.icons.map((icon) => icon.sizes)).toEqual(expect.arrayContaining(['192x192', '512x512']));
    for (const icon of manifest?.icons ?? []) {
      const answer = await page.request.get(`/pos/${icon.src}`);
      expect([icon.src, answer.status(), answer.headers()['content-type']]).toEqual([
        icon.src,
        200,
        icon.src.endsWith('.svg') ? 'image/svg+xml' : 'image/png',
      ]);
    }
  });

  it('sale by card, QR, cash and order; the result; the receipt', async () => {
    await home();
    await button(T.home.sale).click();
    await expectScreen(page, T.sale.title);
    await textbox(T.sale.amount).fill('1234.56');
    await button(T.methods.wechat).click();
    await textbox(T.sale.paymentCode).fill('134567890123456789');
    await visit('sale-qr');
    await button(T.methods.cash).click();
    await textbox(T.sale.cashReceived).fill('1300');
    await visit('sale-cash');
    await button(T.methods.order).click();
    await textbox(T.sale.orderNo).fill('ORD-20261125-0042');
    await visit('sale-order');
    await button(T.methods.card).click();
    await textbox(T.sale.cardNumber).fill('6222020000000007');
    await textbox(T.sale.expiry).fill('12/30');
    await visit('sale-card');
    await button(T.sale.charge).click();
    const result = await statusText(page, new RegExp(T.sale.succeeded));
    expect(result).toContain('¥1,234.56');
    cardSale = /sal_\w+/.exec(result)?.[0] ?? '';
    await visit('sale-result');
    await button(T.sale.receipt).click();
    await expectScreen(page, T.receipt.title);
    await expect.poll(() => page.getByRole('img', { name: T.receipt.qr }).count()).toBe(1);
    await visit('receipt');
    await button(T.app.done).click();
  });

  it("today's sales, with a sale picked", async () => {
    await home();
    await button(T.home.today).click();
    await expectScreen(page, T.today.title);
    await page.getByRole('button', { name: new RegExp(cardSale) }).click();
    await visit('today');
    await button(T.today.refund).click();
    await expectScreen(page, T.refund.title);
    expect(await textbox(T.refund.saleReference).inputValue()).toBe(cardSale);
  });

  it('refund: amount and reason, then key and code with the countdown, a wrong code, the result', async () => {
    await home();
    await button(T.home.refund).click();
    await textbox(T.refund.saleReference).fill(cardSale);
    await button(T.refund.find).click();
    await textbox(T.refund.amount).fill('1000.00');
    await button(T.refund.reasons.returned).click();
    await visit('refund');
    const before = world.smsCount(OWNER_PHONE);
    await button(T.refund.continue).click();
    await expectScreen(page, T.authorize.title);
    const code = await world.smsCode(OWNER_PHONE, before);
    world.web.test.secrets.add('refund code', code);
    await page.getByLabel(T.authorize.refundKey).fill(world.demo.refund_key);
    await visit('authorize');
    await textbox(T.authorize.code).fill(code === '000000' ? '111111' : '000000');
    await button(T.authorize.submit).click();
    await statusText(page, new RegExp(T.authorize.wrongCode));
    await visit('authorize-wrong-code');
    if ((await page.getByLabel(T.authorize.refundKey).count()) > 0) {
      await page.getByLabel(T.authorize.refundKey).fill(world.demo.refund_key);
    }
    await textbox(T.authorize.code).fill(code);
    await button(T.authorize.submit).click();
    // ¥1,234.56 is above ¥200 and below ¥2,000: key and code complete it.
    await statusText(page, new RegExp(T.authorize.succeeded));
    await visit('refund-succeeded');
    await button(T.authorize.toHome).click();
  });

  it('a refund above ¥2,000 waits for approval', async () => {
    await home();
    const sale = await world.web.test.db
      .selectFrom('sales')
      .select(['id'])
      .where('id', '=', cardSale)
      .executeTakeFirst();
    expect(sale).toBeDefined();
    await button(T.home.sale).click();
    await textbox(T.sale.amount).fill('3000');
    await textbox(T.sale.cardNumber).fill('6222020000000007');
    await textbox(T.sale.expiry).fill('12/30');
    await button(T.sale.charge).click();
    const big = /sal_\w+/.exec(await statusText(page, new RegExp(T.sale.succeeded)))?.[0] ?? '';
    await button(T.app.back).click();
    await button(T.home.refund).click();
    await textbox(T.refund.saleReference).fill(big);
    await button(T.refund.find).click();
    await button(T.refund.reasons.duplicate).click();
    const before = world.smsCount(OWNER_PHONE);
    await button(T.refund.continue).click();
    const code = await world.smsCode(OWNER_PHONE, before);
    world.web.test.secrets.add('refund code', code);
    await page.getByLabel(T.authorize.refundKey).fill(world.demo.refund_key);
    await textbox(T.authorize.code).fill(code);
    await button(T.authorize.submit).click();
    await expectScreen(page, T.authorize.waitingTitle);
    await visit('waiting-for-approval');
    const refund = await world.web.test.db
      .selectFrom('refunds')
      .select(['id'])
      .where('sale_id', '=', big)
      .executeTakeFirstOrThrow();
    const manager = await world.staff('manager');
    expect((await manager.post(`/v1/approvals/${refund.id}/approve`)).status).toBe(200);
    await statusText(page, new RegExp(T.authorize.succeeded), 15_000);
    await button(T.authorize.toHome).click();
  });

  it('void from today', async () => {
    await home();
    await button(T.home.sale).click();
    await textbox(T.sale.amount).fill('18');
    await button(T.methods.cash).click();
    await textbox(T.sale.cashReceived).fill('20');
    await button(T.sale.charge).click();
    const cash = /sal_\w+/.exec(await statusText(page, new RegExp(T.sale.succeeded)))?.[0] ?? '';
    await button(T.app.back).click();
    await button(T.home.today).click();
    await page.getByRole('button', { name: new RegExp(cash) }).click();
    await button(T.today.void).click();
    await button(T.today.voidYes).click();
    await expectScreen(page, T.authorize.voidTitle);
    await visit('void');
    await page.getByLabel(T.authorize.refundKey).fill(world.demo.refund_key);
    await button(T.authorize.submit).click();
    await statusText(page, new RegExp(T.authorize.voidSucceeded));
    await button(T.authorize.toHome).click();
  });

  it('an expired refund, then locked refunds after 5 wrong keys', async () => {
    await home();
    await button(T.home.refund).click();
    await textbox(T.refund.saleReference).fill(cardSale);
    await button(T.refund.find).click();
    await textbox(T.refund.amount).fill('10');
    await button(T.refund.reasons.wrongAmount).click();
    await button(T.refund.continue).click();
    await expectScreen(page, T.authorize.title);
    world.web.test.clock.advance(20 * MINUTE); // a refund nobody touches for 15 minutes expires
    await page.getByLabel(T.authorize.refundKey).fill(world.demo.refund_key);
    await button(T.authorize.submit).click();
    await statusText(page, new RegExp(T.authorize.expired.slice(0, 3)));
    await visit('refund-expired');
    await button(T.authorize.toHome).click();

    await button(T.home.refund).click();
    await textbox(T.refund.saleReference).fill(cardSale);
    await button(T.refund.find).click();
    await textbox(T.refund.amount).fill('10');
    await button(T.refund.reasons.wrongAmount).click();
    await button(T.refund.continue).click();
    await expectScreen(page, T.authorize.title);
    const locked = page.getByRole('status').filter({ hasText: T.authorize.lockedShort });
    for (let i = 0; i < 5 && (await locked.count()) === 0; i++) {
      await page.getByLabel(T.authorize.refundKey).fill(`not-the-key-${i}`);
      await button(T.authorize.submit).click();
      // A wrong key empties the field; the refusal that locks disables it.
      await expect
        .poll(
          async () => (await page.getByLabel(T.authorize.refundKey).inputValue()) === '' || (await locked.count()) > 0,
        )
        .toBe(true);
    }
    await statusText(page, new RegExp(T.authorize.lockedShort));
    await visit('refund-locked');
    await button(T.authorize.cancel).click();
    await statusText(page, new RegExp(T.authorize.canceled));
    await button(T.authorize.toHome).click();
  });

  it('settlement with its printable summary, and the offline banner', async () => {
    await home();
    await button(T.home.settle).click();
    await expectScreen(page, T.settlement.title);
    await visit('settlement-start');
    await button(T.settlement.submit).click();
    await statusText(page, new RegExp(T.settlement.done));
    await visit('settlement');
    await button(T.app.done).click();
    await context.setOffline(true);
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .filter({ hasText: T.app.offline.slice(0, 5) })
          .count(),
      )
      .toBe(1);
    await visit('offline');
    await context.setOffline(false);
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
  });
});
