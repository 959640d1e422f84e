import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { secretSentTo } from '../provisioning/provisioning-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient } from '../support/staff-client.js';
import type { SeededMerchant } from '../support/test-app.js';
import { describeBrowser, expectAccessible, expectAllTranslated, launchBrowser, WebApp } from './support/browser.js';
import { checkPageInBothLanguages, signInWithTotp } from './support/console.js';

const CASHIER = { login: 'li.na@lotus.test', name: '李娜', phone: '13900139042', email: 'li.na@lotus.test' };
const TILL = '收银台 9';
/** The visible elements in an antd motion (a dialog zooming, a drop-down sliding, a message fading), as a page script. */
const MOVING = `[...document.querySelectorAll('[class*="-enter"], [class*="-appear"], [class*="-leave"]')]
  .filter((el) => el.getClientRects().length > 0)
  .map((el) => (typeof el.className === 'string' ? el.className : ''))
  .filter((name) => /\\bant-(zoom|slide|fade|move)[a-z-]*-(enter|appear|leave)\\b/.test(name))`;

// Issue 13 item 4 on the console: the owner adds a cashier through "Add staff member" (invited), gives them an operator
// number whose sign-in then works on the terminal API, sets its permissions, disables the person (their operator number
// stops working); opens a store; creates a terminal whose activation code (shown once, with a QR code) is read from the
// page and activates it through the API, then retires it. Every page translated and accessible in both languages.
describeBrowser.each(DIALECTS)('console: staff, operators, stores and terminals [%s]', (dialect) => {
  let web: WebApp;
  let browser: Browser;
  let m: SeededMerchant;
  let context: BrowserContext;
  let page: Page;
  beforeAll(async () => {
    [web, browser] = await Promise.all([WebApp.start(dialect), launchBrowser()]);
    m = await web.test.seedMerchant();
    ({ context, page } = await web.open(browser, '/console/login?lang=en'));
  });
  afterAll(async () => {
    await context?.close();
    await browser?.close();
    await web?.close();
  });

  const store = () => m.demo.stores[0] as { id: string; name: string };
  const status = (text: string | RegExp) => page.getByRole('status').filter({ hasText: text });
  async function expectStatus(text: string | RegExp) {
    await expect
      .poll(() => status(text).count(), { timeout: 10_000 })
      .toBe(1)
      .catch(async (error) => {
        throw new Error(`no status "${text}" in: ${await page.locator('main').textContent()}`, { cause: error });
      });
  }
  async function heading(name: string) {
    await expect.poll(() => page.getByRole('heading', { name, level: 1 }).count(), { timeout: 15_000 }).toBe(1);
  }
  /** Wait until no antd animation runs (a dialog or a drop-down opening or closing moves what a click would hit). */
  async function settled() {
    await page.waitForFunction(`${MOVING}.length === 0`, undefined, { timeout: 10_000 }).catch(async (error) => {
      throw new Error(`still moving: ${JSON.stringify(await page.evaluate(MOVING))}`, { cause: error });
    });
  }
  /** Click a button that opens a dialog, and wait for the dialog to stand still. */
  async function open(button: string) {
    await page.getByRole('button', { name: button, exact: true }).click();
    await expect.poll(() => page.getByRole('dialog').count(), { timeout: 10_000 }).toBeGreaterThan(0);
    await settled();
  }
  /** Pick an option of an antd Select opened through its combobox, and see it picked. */
  async function choose(combobox: string, option: string) {
    const box = page.getByRole('combobox', { name: combobox });
    const select = page.locator('.ant-select').filter({ has: box });
    for (let attempt = 0; attempt < 3; attempt++) {
      await box.click();
      await settled();
      await page
        .locator('.ant-select-dropdown:visible .ant-select-item-option')
        .filter({ hasText: option })
        .first()
        .click();
      await settled();
      if ((await select.textContent())?.includes(option)) return;
    }
    throw new Error(`could not choose ${option} in ${combobox}`);
  }
  /** The action's outcome `text`, after confirming with the login password if the server asked for it. */
  async function doneAfterReauth(text: string) {
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await expect
      .poll(async () => (await status(text).count()) > 0 || (await dialog.isVisible()), { timeout: 10_000 })
      .toBe(true);
    if (await dialog.isVisible()) {
      await settled();
      await dialog.getByLabel('Password').fill(m.demo.owner.password);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
    }
    await expectStatus(text);
  }
  it('staff: add a cashier (invited), give them an operator number that signs in on the terminal, then disable them', async () => {
    await signInWithTotp(
      page,
      m.demo.owner.login,
      m.demo.owner.password,
      m.demo.owner.totp_secret,
      web.test.clock.now() + 30_000,
    );
    await page.getByRole('link', { name: 'Staff', exact: true }).click();
    await heading('Staff');
    await open('Add staff member');
    await page.getByRole('textbox', { name: 'Login' }).fill(CASHIER.login);
    await page.getByRole('textbox', { name: 'Name' }).fill(CASHIER.name);
    await page.getByRole('textbox', { name: 'Phone' }).fill(CASHIER.phone);
    await page.getByRole('textbox', { name: 'Email' }).fill(CASHIER.email);
    await choose('Role', 'Cashier');
    await page.getByRole('button', { name: 'Create', exact: true }).click();
    await expectStatus(`${CASHIER.name} was added; the invitation was sent to`);
    const row = page.getByRole('row').filter({ hasText: CASHIER.login });
    await expect.poll(() => row.textContent()).toContain('Invited');
    await page.getByRole('button', { name: `Resend the invitation to ${CASHIER.name}` }).click();
    await expectStatus('The invitation was sent again');

    // An operator number for the cashier in the first store; the initial password goes to their phone only.
    await open('Add operator');
    await choose('Store', store().name);
    await choose('Staff member', CASHIER.name);
    await page.getByRole('textbox', { name: 'Operator number' }).fill('42');
    await page.getByRole('button', { name: 'Create operator' }).click();
    await expectStatus('Operator 42 was created');
    const password = await secretSentTo(web.test, CASHIER.phone, 'operator_password', 'password');
    const signIn = () =>
      web.test.request('POST', '/v1/operator-sessions', {
        body: { operator_no: '42', password },
        headers: { authorization: `Bearer ${m.terminal.key}` },
      });
    const session = await signIn();
    expect(session.status, JSON.stringify(session.body)).toBe(201);

    // Its permissions: no refunds, a cap; the API then says so.
    await open(`Permissions of operator 42 · ${store().name}`);
    const mayRefund = page.getByRole('switch', { name: 'May refund' });
    await mayRefund.click();
    await expect.poll(() => mayRefund.getAttribute('aria-checked')).toBe('false');
    await page.getByRole('spinbutton', { name: 'Largest single refund (yuan)' }).fill('500');
    await page.getByRole('button', { name: 'Save' }).click();
    await expectStatus('The permissions of operator 42 were saved');
    const owner = await StaffClient.signIn(web.test, m.demo.owner.login, m.demo.owner.password);
    const listed = await owner.get(`/v1/operators?store_id=${store().id}`);
    expect(listed.body.data.find((o: { operator_no: string }) => o.operator_no === '42')?.permissions).toEqual({
      may_refund: false,
      may_void: true,
      may_settle: true,
      refund_cap: 50_000,
    });
    await checkPageInBothLanguages(page, 'staff', '员工');

    // Disable the cashier (re-authenticated when asked): their operator number stops working on the terminal.
    await page.getByRole('button', { name: `Disable ${CASHIER.name}` }).click();
    await settled();
    await page.getByRole('button', { name: 'Yes' }).click();
    await doneAfterReauth(`${CASHIER.name} is disabled`);
    const refused = await signIn();
    expect([refused.status, refused.body.error?.code]).toEqual([401, 'OPERATOR_CREDENTIALS_INVALID']);
    await expect.poll(() => row.textContent()).toContain('Disabled');
  }, 180_000);

  it('stores: the owner opens a store; each store shows its refund policy', async () => {
    await page.getByRole('link', { name: 'Stores', exact: true }).click();
    await heading('Stores');
    await page.getByRole('textbox', { name: 'Store name' }).fill('三号店');
    await page.getByRole('button', { name: 'Create store' }).click();
    await expectStatus('Store “三号店” was created');
    const cards = page
      .getByRole('list', { name: 'Stores' })
      .getByRole('listitem')
      .filter({ has: page.getByRole('heading') });
    await expect.poll(() => cards.count(), { timeout: 10_000 }).toBe(m.demo.stores.length + 1);
    await expect
      .poll(() => page.getByText(/the refund key alone/).count(), { timeout: 10_000 })
      .toBe(m.demo.stores.length + 1);
    await checkPageInBothLanguages(page, 'stores', '门店');
  }, 120_000);

  it('terminals: a new terminal’s code is shown once with a QR code, re-issued, activated through the API, retired', async () => {
    await page.getByRole('link', { name: 'Terminals', exact: true }).click();
    await heading('Terminals');
    await expect.poll(() => page.getByRole('heading', { name: 'Rate plan' }).count(), { timeout: 10_000 }).toBe(1);
    await open('Add terminal');
    await choose('Store', store().name);
    await page.getByRole('textbox', { name: 'Terminal name' }).fill(TILL);
    await page.getByRole('button', { name: 'Create terminal' }).click();
    const code = page.getByRole('textbox', { name: 'Activation code' });
    await expect.poll(() => code.count(), { timeout: 10_000 }).toBe(1);
    const first = await code.inputValue();
    expect(first).toMatch(/^[A-Z2-9-]{8,}$/);
    await expect.poll(() => page.getByRole('img', { name: 'Activation QR code' }).count()).toBe(1);
    await expectAllTranslated(page);
    await expectAccessible(page);
    await page.getByRole('button', { name: 'I have noted it' }).click();

    // A new code replaces the first one.
    await page.getByRole('button', { name: `New activation code for ${TILL}` }).click();
    await expect.poll(async () => (await code.count()) && code.inputValue(), { timeout: 10_000 }).not.toBe(first);
    const second = await code.inputValue();
    web.test.secrets.add('activation code', first);
    web.test.secrets.add('activation code', second);
    await page.getByRole('button', { name: 'I have noted it' }).click();
    const old = await web.test.request('POST', '/v1/terminals/activate', { body: { activation_code: first } });
    expect([old.status, old.body.error?.code]).toEqual([400, 'ACTIVATION_CODE_INVALID']);
    const activated = await web.test.request('POST', '/v1/terminals/activate', { body: { activation_code: second } });
    expect(activated.status, JSON.stringify(activated.body)).toBe(201);
    const key = activated.body.terminal_key as string;
    web.test.secrets.add('terminal key', key);

    const row = page.getByRole('row').filter({ hasText: TILL });
    await page.reload();
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('In use');
    await checkPageInBothLanguages(page, 'terminals', '终端');

    // Retired (with confirmation and re-authentication when asked): its key stops working at once.
    await page.getByRole('button', { name: `Retire ${TILL}` }).click();
    await settled();
    await page.getByRole('button', { name: 'Retire', exact: true }).click();
    await doneAfterReauth(`${TILL} is retired`);
    const refused = await web.test.request('GET', `/v1/sales/sale_none`, {
      headers: { authorization: `Bearer ${key}` },
    });
    expect([refused.status, refused.body.error?.code]).toEqual([401, 'TERMINAL_KEY_INVALID']);
    await expect.poll(() => row.textContent(), { timeout: 10_000 }).toContain('Retired');
  }, 180_000);
});
