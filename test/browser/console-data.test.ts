import { readFileSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { CARDS, card } from '../core/core-helpers.js';
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
import { openSignedIn } from './support/console.js';

// Issue 13 item 5 in the browser: the owner filters the transaction list by reference (textbox "Reference"), sees the
// one sale in the table, and downloads exactly that row as CSV (button "Export CSV"); the page is translated and
// accessible in both languages, with screenshots in zh-CN on a desktop and a 375 px phone.
describeBrowser.each(DIALECTS)('console: transactions [%s]', (dialect) => {
  let web: WebApp;
  let browser: Browser;
  let m: SeededMerchant;
  let visaSaleId: string;
  let mallSaleId: string;
  beforeAll(async () => {
    [web, browser] = await Promise.all([WebApp.start(dialect), launchBrowser()]);
    m = await web.test.seedMerchant();
    for (let i = 0; i < 3; i++) await m.terminal.sale(1_000 + i);
    visaSaleId = (await m.terminal.sale(123_456, card(CARDS.visa))).id;
    // The mall counter's second till (terminals: restaurant POS-1, POS-2, mall POS-1, POS-2), its operator 01.
    mallSaleId = (await (m.terminals[3] as (typeof m.terminals)[number]).sale(777)).id;
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  /** A context signed in as the owner through the API (password + TOTP), at `path`. */
  function signedIn(path: string, viewport?: { width: number; height: number }) {
    return openSignedIn(web, browser, m.demo.owner, path, viewport);
  }

  it('filters by reference, shows the one sale, and exports it as CSV', async () => {
    const { context, page } = await signedIn('/console/transactions?lang=en');
    const table = page.getByRole('table').first();
    await expect.poll(() => table.getByText(visaSaleId).count(), { timeout: 15_000 }).toBe(1);
    expect(await table.getByRole('row').count()).toBeGreaterThanOrEqual(5); // header + 4 sales
    await page.getByRole('textbox', { name: 'Reference' }).fill(visaSaleId);
    await page.getByRole('button', { name: 'Search' }).click();
    // Wait for the sale itself: while the filtered page loads, antd shows a one-row "no data" placeholder (header +
    // placeholder would count as the 2 rows expected).
    await expect.poll(() => table.getByText('¥1,234.56').count(), { timeout: 10_000 }).toBe(1);
    expect(await table.getByRole('row').count()).toBe(2);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export CSV' }).click(),
    ]);
    const path = await download.path();
    const csv = readFileSync(path, 'utf8');
    const lines = csv
      .replace(/^\uFEFF/, '')
      .trimEnd()
      .split('\r\n');
    expect(lines).toHaveLength(2);
    expect(lines[0]).toContain('交易号 Reference');
    expect(lines[1]).toContain(visaSaleId);
    expect(lines[1]).toContain(',1234.56,');
    expect(csv).not.toContain(CARDS.visa);
    // The pointer leaves the button it clicked (axe would judge the hover colour, not the page).
    await page.mouse.move(0, 0);
    await expectAllTranslated(page);
    await expectAccessible(page);
    await context.close();
  });

  it('filters by terminal, by operator and by Beijing dates, with names instead of ids', async () => {
    const { context, page } = await signedIn('/console/transactions?lang=en');
    const table = page.getByRole('table').first();
    await expect.poll(() => table.getByText(visaSaleId).count(), { timeout: 15_000 }).toBe(1);
    const pick = async (field: string, option: string) => {
      await page.getByRole('combobox', { name: field }).click();
      await page.getByTitle(option, { exact: true }).click();
      await page.getByRole('button', { name: 'Search' }).click();
    };
    const onlyTheMallSale = async () => {
      await expect.poll(() => table.getByText(visaSaleId).count(), { timeout: 10_000 }).toBe(0);
      await expect.poll(() => table.getByText(mallSaleId).count(), { timeout: 10_000 }).toBe(1);
      expect(await table.getByRole('row').count()).toBe(2);
    };
    await pick('Terminal', 'POS-2 · 商场专柜 Mall counter');
    await onlyTheMallSale();
    await page.getByRole('button', { name: 'Reset' }).click();
    await expect.poll(() => table.getByText(visaSaleId).count(), { timeout: 10_000 }).toBe(1);
    await pick('Operator', '01 收银员 01 · 商场专柜 Mall counter');
    await onlyTheMallSale();
    // The detail names the till and the operator, not their internal ids.
    await page.getByRole('button', { name: `Details ${mallSaleId}` }).click();
    const drawer = page.getByRole('dialog');
    await expect.poll(() => drawer.getByText('POS-2', { exact: true }).count(), { timeout: 10_000 }).toBe(1);
    expect(await drawer.getByText('01 收银员 01', { exact: true }).count()).toBe(1);
    expect(await drawer.getByText(/^(trm|opr|op)_/).count()).toBe(0);
    await drawer.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 10_000 }).toBe(0);
    await page.getByRole('button', { name: 'Reset' }).click();
    // Dates are whole Beijing days: the sales of today (the test clock's day) are in, a day long ago has none.
    const dates = async (from: string, to: string) => {
      // antd's label adds a colon after the text (CSS content, part of the accessible name).
      for (const [name, day] of [
        [/^From \(Beijing date\)/, from],
        [/^To\b/, to],
      ] as const) {
        await page.getByRole('textbox', { name }).fill(day);
        await page.getByRole('textbox', { name }).press('Enter');
      }
      await page.getByRole('button', { name: 'Search' }).click();
    };
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(web.test.clock.now());
    await dates(today, today);
    await expect.poll(() => table.getByText(mallSaleId).count(), { timeout: 10_000 }).toBe(1);
    expect(await table.getByRole('row').count()).toBe(6); // header + 5 sales
    await dates('2020-01-01', '2020-01-02');
    await expect.poll(() => table.getByText('No transaction matches.').count(), { timeout: 10_000 }).toBe(1);
    await page.mouse.move(0, 0);
    await expectAccessible(page);
    await context.close();
  });

  it('a filter that matches nothing shows a readable "no data" row (the grey placeholder of antd failed axe contrast)', async () => {
    const { context, page } = await signedIn('/console/transactions?lang=en');
    const table = page.getByRole('table').first();
    await expect.poll(() => table.getByText(visaSaleId).count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('textbox', { name: 'Reference' }).fill('sal_NoSuchSaleAnywhere00');
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => table.getByText(visaSaleId).count(), { timeout: 10_000 }).toBe(0);
    await expect.poll(() => table.getByText('No transaction matches.').count(), { timeout: 10_000 }).toBe(1);
    await page.mouse.move(0, 0);
    await expectAccessible(page);
    await context.close();
  });

  it('zh-CN on a desktop and a 375 px phone: translated, accessible, screenshots', async () => {
    for (const [name, viewport] of [
      ['desktop', VIEWPORTS.desktop],
      ['phone', VIEWPORTS.phone],
    ] as const) {
      const { context, page } = await signedIn('/console/transactions?lang=zh-CN', viewport);
      await expect
        .poll(() => page.getByRole('table').first().getByText(visaSaleId).count(), { timeout: 15_000 })
        .toBe(1);
      expect(await page.getByRole('textbox', { name: '交易号' }).count()).toBe(1);
      expect(await page.getByRole('button', { name: '导出 CSV' }).count()).toBe(1);
      await expectAllTranslated(page);
      await expectAccessible(page);
      await screenshot(page, `console-transactions-${name}`);
      await context.close();
    }
  });
});
