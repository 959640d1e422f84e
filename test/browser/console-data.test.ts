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
  beforeAll(async () => {
    [web, browser] = await Promise.all([WebApp.start(dialect), launchBrowser()]);
    m = await web.test.seedMerchant();
    for (let i = 0; i < 3; i++) await m.terminal.sale(1_000 + i);
    visaSaleId = (await m.terminal.sale(123_456, card(CARDS.visa))).id;
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
