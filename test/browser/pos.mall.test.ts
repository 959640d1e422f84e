import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { DIALECTS } from '../support/databases.js';
import { describeBrowser, launchBrowser, VIEWPORTS } from './support/browser.js';
import { signInWithTotp } from './support/console.js';
import { checkScreen, expectScreen, PosWorld, statusText } from './support/pos-terminal.js';

const OWNER_PHONE = '13800138000';
const WECHAT_CODE = '134567890123456789';
const CREDIT_CARD = '4242424242424242';

// Issue 14 "large mall", in English by the accessible names of ../../shared/UI.md: the store's policy (windows per
// method for QR and cards, original tender only, one refund a day) set through the staff API; a WeChat Pay sale and a
// credit-card sale; a refund above the approval threshold (¥2,000) waits on the terminal until a manager approves it on the console;
// a cash refund of the card sale is refused by the original-tender rule; the daily cap refuses the next refund; the
// network drops while a sale's answer is on its way, and after it returns the sale exists once.
describeBrowser.each(DIALECTS)('terminal app: large mall [%s]', (dialect) => {
  let world: PosWorld;
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let wechatSale = '';
  let cardSale = '';

  beforeAll(async () => {
    [world, browser] = await Promise.all([PosWorld.start(dialect), launchBrowser()]);
    const owner = await world.staff('owner');
    const policy = await owner.post(`/v1/stores/${world.store(1).id}/refund-policy`, {
      windows_days: { bank_card: 30, qr: 180, order: 365, cash: 7 },
      thresholds: { key_only_max: 20_000, key_and_code_max: 200_000 },
      caps: { operator_daily_amount: null, operator_daily_count: null, store_daily_amount: null, store_daily_count: 1 },
      original_tender_only: true,
      cash_refund_cap: 50_000,
    });
    expect(policy.status, JSON.stringify(policy.body)).toBe(200);
    ({ context, page } = await world.open(browser, 'en'));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await world?.close();
  });

  async function sell(amount: string, pay: () => Promise<void>): Promise<string> {
    await page.getByRole('button', { name: 'Sale', exact: true }).click();
    await page.getByRole('textbox', { name: 'Amount' }).fill(amount);
    await pay();
    await checkScreen(page);
    await page.getByRole('button', { name: 'Charge' }).click();
    const text = await statusText(page, /Succeeded/);
    await checkScreen(page);
    await page.getByRole('button', { name: 'Back' }).click();
    return /sal_\w+/.exec(text)?.[0] ?? '';
  }

  async function startRefund(sale: string, amount: string, { cash = false } = {}) {
    await page.getByRole('button', { name: 'Refund', exact: true }).click();
    await page.getByRole('textbox', { name: 'Sale reference' }).fill(sale);
    await page.getByRole('button', { name: 'Find' }).click();
    await page.getByRole('textbox', { name: 'Refund amount' }).fill(amount);
    await page.getByRole('button', { name: 'Goods returned' }).click();
    if (cash) await page.getByRole('checkbox', { name: /Refund in cash/ }).check();
    await page.getByRole('button', { name: 'Continue' }).click();
  }

  it('takes a WeChat Pay sale (payment code typed) and a credit-card sale', async () => {
    const store = world.store(1);
    await page.getByRole('textbox', { name: 'Activation code' }).fill(store.terminals[0]?.activation_code ?? '');
    await page.getByRole('button', { name: 'Activate' }).click();
    await page.getByRole('textbox', { name: 'Operator number' }).fill(store.operators[0]?.operator_no ?? '');
    await page.getByLabel('Password').fill(store.operators[0]?.password ?? '');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expectScreen(page, 'Cashier');
    wechatSale = await sell('2500.00', async () => {
      await page.getByRole('button', { name: 'WeChat Pay' }).click();
      await page.getByRole('textbox', { name: 'Payment code' }).fill(WECHAT_CODE);
    });
    cardSale = await sell('500.00', async () => {
      await page.getByRole('button', { name: 'Card', exact: true }).click();
      await page.getByRole('textbox', { name: 'Card number' }).fill(CREDIT_CARD);
      await page.getByRole('textbox', { name: 'Expiry' }).fill('12/30');
    });
    expect(wechatSale).toMatch(/^sal_/);
    expect(cardSale).toMatch(/^sal_/);
    const card = await world.web.test.db.selectFrom('sales').selectAll().where('id', '=', cardSale).executeTakeFirst();
    expect(JSON.stringify(card)).toContain('credit');
  });

  it('refuses a cash refund of the card sale under the original-tender rule, and nothing changes', async () => {
    const before = await world.web.test.checksum();
    await startRefund(cardSale, '100.00', { cash: true });
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .filter({ hasText: /original tender/i })
          .count(),
      )
      .toBe(1);
    await expectScreen(page, 'Refund');
    await checkScreen(page);
    expect(await world.web.test.changedSince(before)).toEqual([]);
    await page.getByRole('button', { name: 'Back' }).click();
  });

  it('a refund above the approval threshold waits on the terminal until a manager approves it', async () => {
    const codesBefore = world.smsCount(OWNER_PHONE);
    await startRefund(wechatSale, '2500.00');
    await expectScreen(page, 'Authorize refund');
    const code = await world.smsCode(OWNER_PHONE, codesBefore);
    world.web.test.secrets.add('refund code', code);
    await page.getByLabel('Refund key').fill(world.demo.refund_key);
    await page.getByRole('textbox', { name: 'One-time code' }).fill(code);
    await page.getByRole('button', { name: 'Authorize' }).click();
    await expectScreen(page, 'Waiting for approval');
    expect(await statusText(page, /Waiting for approval/)).toBeTruthy();
    await checkScreen(page);
    const refund = await world.web.test.db
      .selectFrom('refunds')
      .select(['id'])
      .where('sale_id', '=', wechatSale)
      .executeTakeFirstOrThrow();
    // Still waiting a while later: nothing completes it but the manager.
    await page.waitForTimeout(2500);
    expect(await page.getByRole('status').filter({ hasText: 'Waiting for approval' }).count()).toBe(1);

    // The manager approves it on the console's approvals page, on a phone, in a browser of their own.
    const office = await world.web.open(browser, '/console/login?lang=en', VIEWPORTS.phone);
    const { manager } = world.demo;
    await signInWithTotp(
      office.page,
      manager.login,
      manager.password,
      manager.totp_secret,
      world.web.test.clock.now() + 30_000,
    );
    await office.page.goto('/console/approvals');
    const item = office.page.getByRole('listitem').filter({ hasText: '¥2,500.00' });
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(1);
    await item.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => item.count(), { timeout: 10_000 }).toBe(0);
    await office.context.close();
    expect(
      await world.web.test.db
        .selectFrom('refunds')
        .select('status')
        .where('id', '=', refund.id)
        .executeTakeFirstOrThrow(),
    ).not.toEqual({ status: 'pending_approval' });
    expect(await statusText(page, /Refund succeeded/, 15_000)).toContain('¥2,500.00');
    await expectScreen(page, 'Refund succeeded');
    await checkScreen(page);
    await page.getByRole('button', { name: 'Back to home' }).click();
  });

  it("the store's daily cap refuses the next refund, and nothing changes", async () => {
    const before = await world.web.test.checksum();
    await startRefund(cardSale, '100.00');
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .filter({ hasText: /daily refund count cap/i })
          .count(),
      )
      .toBe(1);
    await expectScreen(page, 'Refund');
    expect(await world.web.test.changedSince(before)).toEqual([]);
    await page.getByRole('button', { name: 'Back' }).click();
  });

  it('the network drops while the sale is answered; when it returns the sale completes, and exists once', async () => {
    const countSales = async () =>
      Number(
        (
          await world.web.test.db
            .selectFrom('sales')
            .select((eb) => eb.fn.countAll().as('n'))
            .where('amount', '=', 12_345)
            .executeTakeFirstOrThrow()
        ).n,
      );
    await page.getByRole('button', { name: 'Sale', exact: true }).click();
    await page.getByRole('textbox', { name: 'Amount' }).fill('123.45');
    await page.getByRole('button', { name: 'Card', exact: true }).click();
    await page.getByRole('textbox', { name: 'Card number' }).fill('6222020000000007');
    await page.getByRole('textbox', { name: 'Expiry' }).fill('12/30');
    // The server takes the sale; its answer is lost as the connection drops.
    let dropped = 0;
    await page.route('**/v1/sales', async (route) => {
      if (route.request().method() !== 'POST' || dropped > 0) return route.fallback();
      dropped++;
      await route.fetch();
      await context.setOffline(true);
      await route.abort('internetdisconnected');
    });
    await page.getByRole('button', { name: 'Charge' }).click();
    await expect
      .poll(() =>
        page
          .getByRole('alert')
          .filter({ hasText: /Offline/ })
          .count(),
      )
      .toBe(1);
    expect(await statusText(page, /Outcome unknown/)).toBeTruthy();
    expect(await countSales()).toBe(1);
    await checkScreen(page);

    await page.unrouteAll();
    // The first try after the connection returns still fails (the 'online' event can come a moment before requests get
    // through): the app tries again by itself.
    let failedOnce = false;
    await page.route('**/v1/sales', async (route) => {
      if (route.request().method() !== 'POST' || failedOnce) return route.fallback();
      failedOnce = true;
      await route.abort('internetdisconnected');
    });
    await context.setOffline(false);
    const done = await statusText(page, /Succeeded/, 15_000);
    expect(failedOnce).toBe(true);
    expect(done).toContain('¥123.45');
    await expect.poll(() => page.getByRole('alert').count()).toBe(0);
    expect(await countSales()).toBe(1);
  });
});
