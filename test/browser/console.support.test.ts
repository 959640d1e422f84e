// Issue 15 on the pages: the support desk (客服工作台) and the owner's "Reset account" (重设账户). Agent A finds the demo
// merchant, opens a case, records the identity checks (last 4 characters only) and tries to approve it: refused on the
// page with the server's own words (403 SUPPORT_SELF_APPROVAL), nothing changed. Agent B picks the case from those
// waiting for approval and approves it; the reset code reaches the owner over real SMPP and SMTP; the owner follows
// the e-mail's link to "Reset account" in a browser, sets a new password, signs in and sets up a new authenticator app
// (the old factors are gone); the old password is then refused by the API. Every page translated and accessible in both languages, at 1280 and 375 px.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { resetCodeIn } from '../helpdesk/support/helpdesk-world.js';
import { person } from '../mfa/mfa-helpers.js';
import { FakeSmsc } from '../notify/support/smsc.js';
import { SmtpSink } from '../notify/support/smtp-sink.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient, totpCode } from '../support/staff-client.js';
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
import { inLanguage, openSignedIn } from './support/console.js';

const NEW_PASSWORD = 'Quartz-Meadow-Lantern-47';
const PHONE_RESET_PASSWORD = 'Lichen-Trolley-Anvil-28';
const NEW_KEY = 'Velvet-Comet-Pasture-61';
const SELF_APPROVAL = 'The agent who opened the case cannot approve it: a second agent must';
const SELF_APPROVAL_ZH = '创建工单的客服不能审批该工单，需由另一位客服审批';

describeBrowser.each(DIALECTS)('console: support desk case and owner reset [%s]', (dialect) => {
  let web: WebApp;
  let browser: Browser;
  let m: SeededMerchant;
  let merchantName = '';
  let agents: Array<{ login: string; password: string }> = [];
  const smtp = new SmtpSink();
  const smsc = new FakeSmsc();
  beforeAll(async () => {
    await Promise.all([smtp.start(), smsc.start()]);
    [web, browser] = await Promise.all([
      WebApp.start(dialect, { env: { SMTP_URL: smtp.url, SMTP_SECURE: 'none', SMPP_URL: smsc.url } }),
      launchBrowser(),
    ]);
    web.test.secrets.add('password', NEW_PASSWORD);
    web.test.secrets.add('password', PHONE_RESET_PASSWORD);
    web.test.secrets.add('refund key', NEW_KEY);
    m = await web.test.seedMerchant();
    const merchant = await web.test.db
      .selectFrom('merchants')
      .select('name')
      .where('id', '=', m.demo.merchant_id)
      .executeTakeFirstOrThrow();
    merchantName = merchant.name;
    agents = [await person(web.test, null, 'support_agent'), await person(web.test, null, 'support_agent')];
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
    await Promise.all([smtp.stop(), smsc.stop()]);
  });

  async function heading(page: Page, name: string | RegExp, level = 1) {
    await expect
      .poll(() => page.getByRole('heading', { name, level }).count(), { timeout: 15_000 })
      .toBe(1)
      .catch(async (error) => {
        throw new Error(`no heading ${name} in: ${await page.locator('body').textContent()}`, { cause: error });
      });
  }
  async function expectStatus(page: Page, text: string) {
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: text }).count(), { timeout: 15_000 })
      .toBeGreaterThan(0)
      .catch(async (error) => {
        throw new Error(`no status "${text}" in: ${await page.locator('body').textContent()}`, { cause: error });
      });
  }
  /**
   * Both languages checked; on the first database zh-CN screenshots at 1280 and 375 px (after `inChinese`, which brings
   * the page to the state worth showing); back to English.
   */
  async function checkPage(page: Page, name: string, zhTitle: string, inChinese?: () => Promise<void>) {
    await expectAllTranslated(page);
    await expectAccessible(page);
    await inLanguage(page, 'zh-CN');
    await heading(page, zhTitle);
    await page.waitForLoadState('networkidle');
    await inChinese?.();
    await expectAllTranslated(page);
    await expectAccessible(page);
    if (dialect === DIALECTS[0]) await screenshot(page, `console-support-${name}-desktop`);
    await page.setViewportSize(VIEWPORTS.phone);
    await expectAccessible(page);
    if (dialect === DIALECTS[0]) await screenshot(page, `console-support-${name}-phone`);
    await page.setViewportSize(VIEWPORTS.desktop);
    await inLanguage(page, 'en');
  }
  /** The reset code of the newest support_reset_link, delivered over SMPP and SMTP to the owner's phone and e-mail. */
  const usedCodes = new Set<string>();
  async function deliveredResetCode(phone: string, email: string): Promise<string> {
    for (let i = 0; i < 100; i++) {
      await web.test.services.delivery.deliverDue();
      const sms = smsc
        .messages()
        .filter((s) => s.destination.endsWith(phone))
        .map((s) => s.text);
      const mail = smtp.mails.filter((x) => x.to.includes(email) && x.text.includes('rst-'));
      // The e-mail and the SMS arrive in either order: wait for both to carry the newest code.
      const code = mail.length > 0 ? resetCodeIn(mail.at(-1)?.text ?? '') : undefined;
      if (code && !usedCodes.has(code) && sms.some((text) => text.includes(code.slice(0, 20)))) {
        usedCodes.add(code);
        web.test.secrets.add('support reset code', code);
        return code;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error('no reset code reached the owner');
  }

  /** The address of "Reset account" in a delivered support_reset_link e-mail. */
  function resetLinkIn(text: string): string {
    const match = /https?:\/\/\S+\/console\/account-reset[?#]\S+/.exec(text);
    if (!match) throw new Error(`no reset link in: ${text}`);
    return match[0];
  }

  /** A case of `kind` for the demo merchant opened and checked by agent A and approved by agent B, through the API. */
  async function approvedThroughApi(kind: string): Promise<string> {
    const [a, b] = agents;
    if (!a || !b) throw new Error('no agents');
    const agentA = await StaffClient.signIn(web.test, a.login, a.password);
    const agentB = await StaffClient.signIn(web.test, b.login, b.password);
    const opened = await agentA.post('/v1/support/cases', { merchant_id: m.demo.merchant_id, kind });
    expect(opened.status).toBe(201);
    const url = `/v1/support/cases/${opened.body.id}`;
    const document = { kind: 'id_document', document_type: 'passport', last4: 'E123', outcome: 'passed' };
    expect((await agentA.post(`${url}/checks`, document)).status).toBe(200);
    expect((await agentA.post(`${url}/checks`, { kind: 'callback', outcome: 'reached' })).status).toBe(200);
    expect((await agentB.post(`${url}/approve`, {})).status).toBe(200);
    return opened.body.id as string;
  }

  let caseId = '';

  it('agent A finds the merchant, opens a case, records the checks; approving it himself is refused', async () => {
    const [a] = agents;
    if (!a) throw new Error('no agent');
    const { context, page } = await openSignedIn(web, browser, a, '/console/support?lang=en');
    await heading(page, 'Support desk');

    await page.getByRole('textbox', { name: 'Merchant name or ID' }).fill(merchantName.slice(0, 4));
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    const found = page.getByRole('region', { name: 'Merchants found' });
    await expect
      .poll(() => found.getByRole('heading', { name: merchantName }).count())
      .toBe(1)
      .catch(async (error) => {
        throw new Error(`${merchantName} not found: ${await page.locator('body').textContent()}`, { cause: error });
      });
    // The words searched stay in the address: the page in Chinese shows the same merchant.
    await checkPage(page, 'search', '客服工作台', () =>
      expect.poll(() => page.getByRole('heading', { name: merchantName }).count()).toBe(1),
    );
    await page.getByRole('radio', { name: 'Lost second factor' }).check();
    await page.getByRole('button', { name: `Open a case for ${merchantName}` }).click();
    await heading(page, /^Case sca_/, 2);
    caseId = new URL(page.url()).searchParams.get('case') ?? '';
    expect(caseId).toMatch(/^sca_/);
    await expect.poll(() => page.getByText('Checks needed', { exact: true }).count()).toBe(1);

    // The document field takes 4 characters at most: a full ID number cannot be typed, only its last 4.
    const last4 = page.getByRole('textbox', { name: 'Last 4 of the document number' });
    await last4.fill('11010119900307123X');
    expect((await last4.inputValue()).length).toBeLessThanOrEqual(4);
    await last4.fill('123X');
    await page.getByRole('button', { name: 'Record ID check' }).click();
    await expectStatus(page, 'Recorded: ID document');
    await page.getByRole('textbox', { name: 'Last 4 of the licence number' }).fill('7Q2K');
    await page.getByRole('button', { name: 'Record licence check' }).click();
    await expectStatus(page, 'Recorded: Business licence');
    await page.getByRole('button', { name: 'Record call-back' }).click();
    await expectStatus(page, 'Recorded: Call-back');
    await expect.poll(() => page.getByText('Waiting for approval').count()).toBeGreaterThan(0);
    const checks = await web.test.db.selectFrom('support_checks').selectAll().where('case_id', '=', caseId).execute();
    expect(checks.map((c) => [c.kind, c.last4, c.outcome]).sort()).toEqual([
      ['business_licence', '7Q2K', 'passed'],
      ['callback', null, 'reached'],
      ['id_document', '123X', 'passed'],
    ]);

    // Two-person rule: the opener's approval is refused with the server's words, and nothing changes.
    const before = await web.test.checksum();
    await page.getByRole('button', { name: 'Approve case' }).click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: SELF_APPROVAL }).count(), { timeout: 15_000 })
      .toBe(1);
    expect(await web.test.changedSince(before)).toEqual([]);
    const refused = await web.test.db
      .selectFrom('support_cases')
      .select(['status', 'approved_by'])
      .where('id', '=', caseId)
      .executeTakeFirstOrThrow();
    expect(refused).toEqual({ status: 'checks_recorded', approved_by: null });
    // Back at the desk, the case waits for approval, marked as the viewer's own.
    await page.getByRole('button', { name: 'Back to search' }).click();
    const waiting = page.getByRole('region', { name: 'Cases waiting for approval' });
    await expect
      .poll(() => waiting.getByRole('listitem').filter({ hasText: caseId }).filter({ hasText: 'Opened by me' }).count())
      .toBe(1);
    await page.getByRole('button', { name: `Open case ${caseId}` }).click();
    await heading(page, `Case ${caseId}`, 2);
    // The page in Chinese: the same refusal, in the server's Chinese words.
    await checkPage(page, 'case', '客服工作台', async () => {
      await page.getByRole('button', { name: '批准工单' }).click();
      await expect
        .poll(() => page.getByRole('alert').filter({ hasText: SELF_APPROVAL_ZH }).count(), { timeout: 15_000 })
        .toBe(1);
    });
    await context.close();
  }, 240_000);

  it('agent B picks the case from those waiting for approval and approves it; the owner resets with the code and sets a new factor', async () => {
    const [, b] = agents;
    if (!b || !caseId) throw new Error('no case from the first journey');
    const { context, page } = await openSignedIn(web, browser, b, '/console/support?lang=en');
    await heading(page, 'Support desk');
    // Agent B finds the case among those waiting for approval, under its merchant's name, and opens it from there.
    const waiting = page.getByRole('region', { name: 'Cases waiting for approval' });
    const pick = waiting.getByRole('button', { name: `Open case ${caseId}` });
    await expect.poll(() => pick.count(), { timeout: 15_000 }).toBe(1);
    await expect.poll(() => waiting.getByRole('heading', { name: merchantName, level: 3 }).count()).toBe(1);
    expect(await waiting.getByText('Opened by me').count()).toBe(0);
    await pick.click();
    await heading(page, `Case ${caseId}`, 2);
    // The case names its merchant, not only its id.
    await expect.poll(() => page.getByText(merchantName, { exact: true }).count()).toBe(1);
    await page.getByRole('button', { name: 'Approve case' }).click();
    await expectStatus(page, 'The case is approved');
    await expect.poll(() => page.getByText('Approved (me)', { exact: false }).count()).toBe(1);
    await expectAllTranslated(page);
    await expectAccessible(page);
    await context.close();

    const owner = await web.test.services.staff.findByLogin(m.demo.owner.login);
    const code = await deliveredResetCode(owner?.phone ?? '-', owner?.email ?? '-');

    // The owner's browser: the sign-in page leads to "Reset account" beside "Forgot password".
    const reset = await web.open(browser, '/console/login?lang=en');
    const ownerPage = reset.page;
    await ownerPage.getByRole('link', { name: 'Reset account' }).click();
    await heading(ownerPage, 'Reset account');
    // The e-mail's link opens "Reset account" on this console with the code filled in: nothing to type but passwords.
    const mail = smtp.mails.find((x) => x.text.includes(code))?.text ?? '';
    expect(mail).toContain(caseId); // the case number the owner quotes to the desk, not "—"
    const link = resetLinkIn(mail);
    // The code is in the fragment: never sent to a server, so never in a Referer or an access log.
    expect(link).toBe(`${web.baseUrl}/console/account-reset#code=${code}`);
    await ownerPage.goto(link);
    await heading(ownerPage, 'Reset account');
    await checkPage(ownerPage, 'reset', '重设账户');
    expect(await ownerPage.getByRole('textbox', { name: 'Reset code' }).inputValue()).toBe(code);
    await ownerPage.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await ownerPage.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await ownerPage.getByRole('button', { name: 'Reset account' }).click();
    await expectStatus(ownerPage, 'Your password is reset');

    // Signing in with the new password leads to setting up a new second factor: the old ones are gone.
    await ownerPage.getByRole('link', { name: 'Sign in', exact: true }).click();
    await ownerPage.getByRole('textbox', { name: 'Login' }).fill(m.demo.owner.login);
    await ownerPage.getByLabel('Password', { exact: true }).fill(NEW_PASSWORD);
    await ownerPage.getByRole('button', { name: 'Sign in', exact: true }).click();
    await heading(ownerPage, 'Set up a second factor');
    await ownerPage.getByRole('button', { name: 'Set up authenticator app' }).click();
    const secretKey = ownerPage.getByLabel('Secret key');
    await expect.poll(() => secretKey.count(), { timeout: 15_000 }).toBe(1);
    const secret = (await secretKey.inputValue()).replace(/\s/g, '');
    web.test.secrets.add('TOTP secret', secret);
    await ownerPage.getByRole('textbox', { name: 'Code' }).fill(totpCode(secret, web.test.clock.now()));
    await ownerPage.getByRole('button', { name: 'Confirm' }).click();
    const backupCodes = ownerPage.getByRole('list', { name: 'Backup codes' });
    await expect.poll(() => backupCodes.getByRole('listitem').count(), { timeout: 15_000 }).toBe(10);
    await ownerPage.getByRole('button', { name: 'Go to the back office' }).click();
    await expect
      .poll(() => ownerPage.getByRole('button', { name: 'Sign out' }).count(), { timeout: 15_000 })
      .toBeGreaterThan(0);
    await reset.context.close();

    const factors = await web.test.db
      .selectFrom('second_factors')
      .select('kind')
      .where('user_id', '=', owner?.id ?? '-')
      .execute();
    expect(factors.map((f) => f.kind)).toEqual(['totp']);
    const before = await web.test.checksum();
    const old = await web.test.request('POST', '/v1/auth/login', {
      body: { login: m.demo.owner.login, password: m.demo.owner.password },
    });
    expect([old.status, old.body.error.code]).toEqual([401, 'LOGIN_FAILED']);
    expect(await web.test.changedSince(before)).toEqual([]);
    const spent = await web.test.request('POST', '/v1/support/resets/account', {
      body: { token: code, new_password: 'Another-Sturdy-Phrase-77' },
    });
    expect([spent.status, spent.body.error.code]).toEqual([401, 'SUPPORT_RESET_INVALID']);
  }, 240_000);

  it('an agent cancels the phone change a lost-phone reset announced; a second cancel is refused', async () => {
    const [a] = agents;
    if (!a) throw new Error('no agents');
    const lostPhoneCase = await approvedThroughApi('lost_phone');
    const owner = await web.test.services.staff.findByLogin(m.demo.owner.login);
    const code = await deliveredResetCode(owner?.phone ?? '-', owner?.email ?? '-');
    const done = await web.test.request('POST', '/v1/support/resets/account', {
      body: { token: code, new_password: PHONE_RESET_PASSWORD, new_phone: '13700137000' },
    });
    expect(done.status).toBe(200);

    const { context, page } = await openSignedIn(web, browser, a, `/console/support?case=${lostPhoneCase}&lang=en`);
    await heading(page, `Case ${lostPhoneCase}`, 2);
    await page.getByRole('button', { name: 'Cancel phone change' }).click();
    await expectStatus(page, 'The phone change is canceled.');
    const change = await web.test.db
      .selectFrom('support_phone_changes')
      .select(['canceled_at', 'applied_at'])
      .where('case_id', '=', lostPhoneCase)
      .executeTakeFirstOrThrow();
    expect(change.canceled_at).not.toBeNull();
    expect(change.applied_at).toBeNull();

    const before = await web.test.checksum();
    await page.getByRole('button', { name: 'Cancel phone change' }).click();
    await expect
      .poll(() => page.getByRole('alert').filter({ hasText: 'No phone change is waiting' }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    expect(await web.test.changedSince(before)).toEqual([]);
    await context.close();
  }, 180_000);

  it('a forgotten refund key: the signed-in owner sets a new key on "Reset account" with the code', async () => {
    await approvedThroughApi('forgotten_key');
    const owner = await web.test.services.staff.findByLogin(m.demo.owner.login);
    const code = await deliveredResetCode(owner?.phone ?? '-', owner?.email ?? '-');

    // The owner's password after the lost-phone reset above; signing in through the API enrols a new factor.
    const ownerLogin = { login: m.demo.owner.login, password: PHONE_RESET_PASSWORD };
    // The message of a forgotten-key case links to the refund-key form of "Reset account", the code filled in.
    const link = new URL(resetLinkIn(smtp.mails.find((x) => x.text.includes(code))?.text ?? ''));
    expect(`${link.pathname}${link.search}${link.hash}`).toBe(`/console/account-reset?mode=key#code=${code}`);
    const path = `${link.pathname}${link.search}&lang=en${link.hash}`;
    const { context, page } = await openSignedIn(web, browser, ownerLogin, path);
    await heading(page, 'Reset account');
    expect(await page.getByRole('textbox', { name: 'Reset code' }).inputValue()).toBe(code);
    await page.getByLabel('New refund key', { exact: true }).fill(NEW_KEY);
    await page.getByLabel('Confirm refund key').fill(NEW_KEY);
    await page.getByRole('button', { name: 'Save refund key' }).click();
    const dialog = page.getByRole('dialog', { name: 'Confirm it is you' });
    await expect
      .poll(
        async () =>
          (await page.getByRole('status').filter({ hasText: 'The new refund key works now' }).count()) > 0 ||
          (await dialog.isVisible()),
        { timeout: 15_000 },
      )
      .toBe(true);
    if (await dialog.isVisible()) {
      await dialog.getByLabel('Password').fill(PHONE_RESET_PASSWORD);
      await dialog.getByRole('button', { name: 'Confirm' }).click();
    }
    await expectStatus(page, 'The new refund key works now');
    await expectAllTranslated(page);
    await expectAccessible(page);
    expect(await web.test.services.refundKeys.isActiveKeyOfMerchant(m.demo.merchant_id, NEW_KEY)).toBe(true);
    expect(await web.test.services.refundKeys.isActiveKeyOfMerchant(m.demo.merchant_id, m.demo.refund_key)).toBe(false);
    await context.close();
  }, 180_000);
});
