import type { Browser, BrowserContext, CDPSession, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NEW_PASSWORD, newLogin, newPhone, secretSentTo } from '../provisioning/provisioning-helpers.js';
import { DIALECTS } from '../support/databases.js';
import { StaffClient, totpCode } from '../support/staff-client.js';
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

const RESET_PASSWORD = 'Persimmon-Harbour-Quill-47';
/** A platform authenticator with a fingerprint that confirms the user (user verification). */
const AUTHENTICATOR = {
  protocol: 'ctap2',
  transport: 'internal',
  hasResidentKey: true,
  hasUserVerification: true,
  isUserVerified: true,
} as const;

// Issue 13 items 1 and 7: an invited owner's first sign-in sets up a passkey through a virtual authenticator (with user
// verification) and later signs in with it; without user verification the passkey is refused with a clear message.
// A second owner sets up an authenticator app from the "Secret key" on the page and signs in with its codes, and then
// approves, from a second browser context, the QR login another browser shows. Every page is checked for missing
// texts and axe findings in both languages, and photographed in zh-CN at desktop and phone width.
describeBrowser.each(DIALECTS)('console: second factors, passkeys and QR login [%s]', (dialect) => {
  let web: WebApp;
  let browser: Browser;
  let inviter: StaffClient;
  // Owner A (passkey) and owner B (authenticator app); B's context stays signed in to approve the QR login.
  let a: { id: string; login: string; phone: string; token: string };
  let b: { id: string; login: string; phone: string; token: string; secret?: string };
  let contextB: BrowserContext;
  let pageB: Page;
  // Owner A's browser with its virtual authenticator, kept signed in to approve a QR login with the passkey.
  let contextA: BrowserContext;
  let pageA: Page;

  beforeAll(async () => {
    [web, browser] = await Promise.all([WebApp.start(dialect), launchBrowser()]);
    web.test.secrets.add('password', NEW_PASSWORD);
    web.test.secrets.add('password', RESET_PASSWORD);
    const m = await web.test.seedMerchant();
    inviter = await StaffClient.signIn(web.test, m.demo.owner.login, m.demo.owner.password);
    [a, b] = [await invite(), await invite()];
  });
  afterAll(async () => {
    await browser?.close();
    await web?.close();
  });

  /** A new owner of the demo merchant, invited by its owner: the token of the SMS the invitation sent. */
  async function invite() {
    const phone = newPhone();
    const login = newLogin('owner');
    const created = await inviter.post('/v1/staff', {
      login,
      name: `店主 ${login.slice(6, 14)}`,
      role: 'owner',
      phone,
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    return {
      id: created.body.id as string,
      login,
      phone,
      token: await secretSentTo(web.test, phone, 'staff_invitation', 'token'),
    };
  }

  /**
   * The page as it is: every text translated and no serious axe finding in en and zh-CN; zh-CN screenshots. The pages
   * do not depend on the database, so this runs with the first dialect only (the journeys themselves run on both).
   */
  async function checkPage(page: Page, name: string, heading: { en: string; zh: string }) {
    if (dialect !== DIALECTS[0]) return;
    for (const [lang, text] of [
      ['en', heading.en],
      ['zh-CN', heading.zh],
    ] as const) {
      await inLanguage(page, lang);
      await expect.poll(() => page.getByRole('heading', { name: text, level: 1 }).count(), { timeout: 15_000 }).toBe(1);
      await expectAllTranslated(page);
      await expectAccessible(page);
    }
    await screenshot(page, `console-${name}-desktop`);
    await page.setViewportSize(VIEWPORTS.phone);
    // The signed-in shell changes at phone width (a drawer); the public pages are one narrow column at any width.
    if (name === 'security') await expectAccessible(page);
    await screenshot(page, `console-${name}-phone`);
    await page.setViewportSize(VIEWPORTS.desktop);
    await inLanguage(page, 'en');
  }

  async function signedIn(page: Page): Promise<void> {
    await expect
      .poll(() => page.getByRole('button', { name: 'Sign out' }).count(), { timeout: 15_000 })
      .toBeGreaterThan(0)
      .catch(async (error) => {
        throw new Error(`not signed in at ${page.url()}: ${await page.locator('body').textContent()}`, {
          cause: error,
        });
      });
  }

  async function passwordStep(page: Page, login: string, password: string): Promise<void> {
    await page.goto('/console/login?lang=en');
    await page.getByRole('textbox', { name: 'Login' }).fill(login);
    await page.getByLabel('Password', { exact: true }).fill(password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  }

  async function backupCodesShown(page: Page): Promise<void> {
    const list = page.getByRole('list', { name: 'Backup codes' });
    await expect.poll(() => list.getByRole('listitem').count(), { timeout: 15_000 }).toBe(10);
  }

  const sessionsOf = async (userId: string) =>
    (await web.test.db.selectFrom('staff_sessions').select('id').where('user_id', '=', userId).execute()).length;

  it('invitation → first sign-in sets up a passkey → sign out → sign in with it; without user verification refused', async () => {
    const { context, page } = await web.open(browser, '/console/invitation?lang=en');
    [contextA, pageA] = [context, page];
    await checkPage(page, 'invitation', { en: 'Accept the invitation', zh: '接受邀请' });
    const cdp: CDPSession = await context.newCDPSession(page);
    await cdp.send('WebAuthn.enable');
    let { authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR });

    // The invitation: the code from the SMS and a password typed twice; an owner must then set up a second factor.
    await page.getByRole('textbox', { name: 'Invitation code' }).fill(a.token);
    await page.getByLabel('New password', { exact: true }).fill(NEW_PASSWORD);
    await page.getByLabel('Confirm new password').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Set password and sign in' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: 'Set up a second factor', level: 1 }).count(), { timeout: 15_000 })
      .toBe(1);
    await checkPage(page, 'enrol', { en: 'Set up a second factor', zh: '设置第二重验证' });

    // A passkey through the virtual authenticator (user verified): ten backup codes, shown once, then the console.
    await page.getByLabel('Passkey name').fill('Office PC');
    await page.getByRole('button', { name: 'Add passkey' }).click();
    await backupCodesShown(page);
    await page.getByRole('button', { name: 'Go to the back office' }).click();
    await signedIn(page);
    const stored = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(stored.credentials).toHaveLength(1);

    // Sign out, then password + passkey.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await passwordStep(page, a.login, NEW_PASSWORD);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await signedIn(page);
    await page.getByRole('link', { name: 'Security' }).click();
    const passkeys = page.getByRole('region', { name: 'My passkeys' });
    await expect.poll(() => passkeys.getByText('Office PC').count(), { timeout: 15_000 }).toBe(1);
    await checkPage(page, 'security', { en: 'Security', zh: '安全' });

    // New backup codes 6 minutes later: the server asks to re-authenticate, the passkey does it, the codes are shown.
    web.test.clock.advance(6 * 60_000);
    await page.getByRole('button', { name: 'New backup codes' }).click();
    const reauth = page.getByRole('dialog', { name: 'Confirm it is you' });
    await reauth.getByRole('button', { name: 'Use a passkey' }).click();
    await backupCodesShown(page);
    // The only factor cannot be removed: the server's reason in an alert, the passkey stays.
    const before = await web.test.checksum();
    await page.getByRole('button', { name: 'Remove passkey Office PC' }).click();
    const refused = page.getByRole('alert').filter({ hasText: 'must keep at least one second factor' });
    await expect.poll(() => refused.count(), { timeout: 15_000 }).toBe(1);
    expect(await passkeys.getByText('Office PC').count()).toBe(1);
    expect(await web.test.changedSince(before)).toEqual([]);

    // A second passkey, then removing it: allowed (it is not the last factor); the first one stays. The browser will not
    // make a second credential on an authenticator that holds one (excludeCredentials): a second authenticator makes it,
    // and the first comes back with its credential afterwards.
    const saved = (await cdp.send('WebAuthn.getCredentials', { authenticatorId })).credentials;
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId });
    const spare = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR });
    await page.getByLabel('Passkey name').fill('Spare key');
    await page.getByRole('button', { name: 'Add passkey' }).click();
    await expect.poll(() => passkeys.getByText('Spare key').count(), { timeout: 15_000 }).toBe(1);
    await page.getByRole('button', { name: 'Remove passkey Spare key' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Passkey removed' }).count(), { timeout: 15_000 })
      .toBe(1);
    await expect.poll(() => passkeys.getByText('Spare key').count(), { timeout: 15_000 }).toBe(0);
    expect(await passkeys.getByText('Office PC').count()).toBe(1);
    const left = await web.test.db.selectFrom('passkeys').select('name').where('user_id', '=', a.id).execute();
    expect(left.map((p) => p.name)).toEqual(['Office PC']);
    await cdp.send('WebAuthn.removeVirtualAuthenticator', { authenticatorId: spare.authenticatorId });
    ({ authenticatorId } = await cdp.send('WebAuthn.addVirtualAuthenticator', { options: AUTHENTICATOR }));
    for (const credential of saved) await cdp.send('WebAuthn.addCredential', { authenticatorId, credential });

    // Without user verification the authenticator's answer does not count: a clear message, nobody signed in.
    await page.getByRole('button', { name: 'Sign out' }).click();
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: false });
    await passwordStep(page, a.login, NEW_PASSWORD);
    const sessions = await sessionsOf(a.id);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await expect
      .poll(() => page.getByRole('alert').allInnerTexts(), { timeout: 30_000 })
      .toEqual([expect.stringMatching(/passkey was not (confirmed|accepted)/i)]);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await sessionsOf(a.id)).toBe(sessions);

    // The authenticator refused on its own above. A client that tells it not to verify the user (the options rewritten
    // on the way) gets an assertion without user verification: the server refuses that too, and makes no session.
    await page.route('**/v1/auth/second-factor/passkey/options', async (route) => {
      const response = await route.fetch();
      await route.fulfill({ response, json: { ...(await response.json()), userVerification: 'discouraged' } });
    });
    const answered = page.waitForResponse(
      (r) => r.url().endsWith('/v1/auth/second-factor') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    const refusal = await answered;
    expect([refusal.status(), (await refusal.json()).error.code]).toEqual([401, 'PASSKEY_FAILED']);
    await expect
      .poll(() => page.getByRole('alert').allTextContents(), { timeout: 15_000 })
      .toEqual([expect.stringMatching(/passkey was not accepted/i)]);
    expect(await page.getByRole('button', { name: 'Sign out' }).count()).toBe(0);
    expect(await sessionsOf(a.id)).toBe(sessions);

    // The fingerprint back on: signed in with the passkey again, this browser approves a QR login below.
    await page.unroute('**/v1/auth/second-factor/passkey/options');
    await cdp.send('WebAuthn.setUserVerified', { authenticatorId, isUserVerified: true });
    await passwordStep(page, a.login, NEW_PASSWORD);
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await signedIn(page);
  }, 180_000);

  it('a fresh owner sets up an authenticator app from the "Secret key" on the page and signs in with its codes', async () => {
    const accepted = await web.test.request('POST', '/v1/auth/invitations/accept', {
      body: { token: b.token, password: NEW_PASSWORD },
    });
    expect(accepted.status).toBe(200);
    ({ context: contextB, page: pageB } = await web.open(browser, '/console/login?lang=en'));
    await passwordStep(pageB, b.login, NEW_PASSWORD);
    await expect
      .poll(() => pageB.getByRole('heading', { name: 'Set up a second factor', level: 1 }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    await pageB.getByRole('button', { name: 'Set up authenticator app' }).click();
    const secretKey = pageB.getByLabel('Secret key');
    await expect.poll(() => secretKey.count(), { timeout: 15_000 }).toBe(1);
    expect(await pageB.getByRole('img', { name: 'Authenticator QR code' }).count()).toBe(1);
    const secret = (await secretKey.inputValue()).replace(/\s/g, '');
    expect(secret).toMatch(/^[A-Z2-7]{16,}$/);
    b.secret = secret;
    web.test.secrets.add('TOTP secret', secret);

    // A wrong code is refused with the server's reason; the right one sets it up.
    await pageB.getByRole('textbox', { name: 'Code' }).fill(totpCode(secret, web.test.clock.now() + 10 * 60_000));
    await pageB.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => pageB.getByRole('alert').count(), { timeout: 15_000 }).toBe(1);
    await pageB.getByRole('textbox', { name: 'Code' }).fill(totpCode(secret, web.test.clock.now()));
    await pageB.getByRole('button', { name: 'Confirm' }).click();
    await backupCodesShown(pageB);
    await pageB.getByRole('button', { name: 'Go to the back office' }).click();
    await signedIn(pageB);

    await pageB.getByRole('button', { name: 'Sign out' }).click();
    await signInWithTotp(pageB, b.login, NEW_PASSWORD, secret, web.test.clock.now() + 30_000);

    // On the Security page: the session the invitation opened (through the API) is signed out from here, and a new
    // phone number is confirmed with the code sent to it (the password reset below then goes to that number).
    await pageB.getByRole('link', { name: 'Security' }).click();
    await expect.poll(() => sessionsOf(b.id)).toBe(2);
    await pageB.getByRole('button', { name: 'Sign out all other sessions' }).click();
    await expect
      .poll(() => pageB.getByRole('status').filter({ hasText: 'All other sessions are signed out' }).count(), {
        timeout: 15_000,
      })
      .toBe(1);
    expect(await sessionsOf(b.id)).toBe(1);
    const phone = newPhone();
    await pageB.getByRole('textbox', { name: 'New phone number' }).fill(phone);
    await pageB.getByRole('button', { name: 'Send code' }).click();
    await expect.poll(() => pageB.getByRole('textbox', { name: 'SMS code' }).count(), { timeout: 15_000 }).toBe(1);
    await pageB
      .getByRole('textbox', { name: 'SMS code' })
      .fill(await secretSentTo(web.test, phone, 'phone_verification', 'code'));
    await pageB.getByRole('button', { name: 'Confirm new phone' }).click();
    await expect
      .poll(() => pageB.getByRole('status').filter({ hasText: 'Phone number changed' }).count(), { timeout: 15_000 })
      .toBe(1);
    b.phone = phone;

    // SMS codes as a second factor too: the code sent to the (new) phone, typed back; ten new backup codes.
    await pageB.getByRole('button', { name: 'Set up SMS codes' }).click();
    const smsCode = pageB.getByRole('textbox', { name: 'Code from the SMS' });
    await expect.poll(() => smsCode.count(), { timeout: 15_000 }).toBe(1);
    await smsCode.fill(await secretSentTo(web.test, phone, 'second_factor_code', 'code'));
    await pageB.getByRole('button', { name: 'Confirm SMS codes' }).click();
    await backupCodesShown(pageB);
    await expect
      .poll(() => pageB.getByRole('button', { name: 'Remove SMS codes' }).count(), { timeout: 15_000 })
      .toBe(1);
    const kinds = await web.test.db
      .selectFrom('second_factors')
      .select('kind')
      .where('user_id', '=', b.id)
      .where('status', '=', 'active')
      .execute();
    expect(kinds.map((k) => k.kind).sort()).toEqual(['sms', 'totp']);
  }, 120_000);

  it('QR login: a browser shows "Login QR code", the owner approves it on /console/qr/:id, the browser is signed in', async () => {
    const { context, page } = await web.open(browser, '/console/login?lang=en');
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/v1/auth/qr-logins') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Sign in with QR code' }).click();
    const payload = String((await (await created).json()).qr_payload);
    await expect.poll(() => page.getByRole('img', { name: 'Login QR code' }).count(), { timeout: 15_000 }).toBe(1);
    expect(payload).toMatch(new RegExp(`^${web.baseUrl}/console/qr/[^?]+\\?c=`));

    await pageB.goto(payload);
    await checkPage(pageB, 'qr-approve', { en: 'Confirm QR sign-in', zh: '确认扫码登录' });
    await expect.poll(() => pageB.getByText('Chrome').count(), { timeout: 15_000 }).toBeGreaterThan(0);
    web.test.clock.advance(60_000);
    await pageB.getByRole('textbox', { name: 'Code' }).fill(totpCode(b.secret as string, web.test.clock.now()));
    await pageB.getByRole('button', { name: 'Approve sign-in' }).click();
    await expect
      .poll(() => pageB.getByRole('status').filter({ hasText: 'Approved' }).count(), { timeout: 15_000 })
      .toBe(1);
    await signedIn(page);
    const me = await page.evaluate(() => fetch('/v1/auth/me').then((r) => r.json()));
    expect(me.user.login).toBe(b.login);
    await context.close();
  }, 120_000);

  it('QR login approved on the phone with a passkey (fingerprint): the waiting browser is signed in as that owner', async () => {
    const { context, page } = await web.open(browser, '/console/login?lang=en');
    const created = page.waitForResponse(
      (r) => r.url().endsWith('/v1/auth/qr-logins') && r.request().method() === 'POST',
    );
    await page.getByRole('button', { name: 'Sign in with QR code' }).click();
    const payload = String((await (await created).json()).qr_payload);
    await pageA.goto(payload);
    const approve = pageA.getByRole('button', { name: 'Approve with a passkey' });
    await expect.poll(() => approve.count(), { timeout: 15_000 }).toBe(1);
    await approve.click();
    await expect
      .poll(() => pageA.getByRole('status').filter({ hasText: 'Approved' }).count(), { timeout: 15_000 })
      .toBe(1);
    await signedIn(page);
    const me = await page.evaluate(() => fetch('/v1/auth/me').then((r) => r.json()));
    expect(me.user.login).toBe(a.login);
    await context.close();
    await contextA.close();
  }, 120_000);

  it('forgot password: a code by SMS and a new password; the old one stops working, the new one signs in', async () => {
    const { context, page } = await web.open(browser, '/console/login?lang=en');
    await page.getByRole('link', { name: 'Forgot password' }).click();
    await checkPage(page, 'password-reset', { en: 'Reset password', zh: '重设密码' });
    await page.getByRole('textbox', { name: 'Login' }).fill(b.login);
    await page.getByRole('button', { name: 'Send code' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'a code was sent' }).count(), { timeout: 15_000 })
      .toBe(1);
    const code = await secretSentTo(web.test, b.phone, 'password_reset', 'code');
    await page.getByRole('textbox', { name: 'Code' }).fill(code);
    await page.getByLabel('New password', { exact: true }).fill(RESET_PASSWORD);
    await page.getByLabel('Confirm new password').fill(RESET_PASSWORD);
    await page.getByRole('button', { name: 'Reset password' }).click();
    await expect
      .poll(() => page.getByRole('status').filter({ hasText: 'Password reset' }).count(), { timeout: 15_000 })
      .toBe(1);
    expect(
      (await web.test.request('POST', '/v1/auth/login', { body: { login: b.login, password: NEW_PASSWORD } })).status,
    ).toBe(401);
    await signInWithTotp(page, b.login, RESET_PASSWORD, b.secret as string, web.test.clock.now() + 30_000);
    await context.close();
    await contextB.close();
  }, 120_000);
});
