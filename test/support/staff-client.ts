import { Secret, TOTP } from 'otpauth';
import type { Answer, TestApp } from './test-app.js';

/** A person's second factor as the tests know it: the TOTP seed and backup codes they were shown (issue 12). */
interface KnownFactor {
  totpSecret?: string;
  backupCodes: string[];
  usedSteps: Set<number>;
}
const knownFactors = new WeakMap<TestApp, Map<string, KnownFactor>>();

/** Remember a person's TOTP seed and backup codes (the demo prints them; enrolment answers them) for signIn. */
export function rememberSecondFactor(
  test: TestApp,
  login: string,
  factor: { totpSecret?: string; backupCodes?: string[]; usedAt?: number },
): void {
  const byLogin = knownFactors.get(test) ?? new Map<string, KnownFactor>();
  knownFactors.set(test, byLogin);
  const known = byLogin.get(login) ?? { backupCodes: [], usedSteps: new Set<number>() };
  if (factor.totpSecret && factor.totpSecret !== known.totpSecret) {
    known.totpSecret = factor.totpSecret;
    known.usedSteps = new Set();
  }
  if (factor.usedAt !== undefined) known.usedSteps.add(Math.floor(factor.usedAt / 30_000));
  if (factor.backupCodes) known.backupCodes = [...factor.backupCodes];
  byLogin.set(login, known);
  test.secrets.add('TOTP secret', factor.totpSecret);
  for (const code of factor.backupCodes ?? []) test.secrets.add('backup code', code);
}

/** What the tests know of a person's second factor (the seed, the backup codes not yet used by signIn). */
export function knownSecondFactor(test: TestApp, login: string): { totpSecret?: string; backupCodes: string[] } {
  const known = knownFactors.get(test)?.get(login);
  return {
    ...(known?.totpSecret ? { totpSecret: known.totpSecret } : {}),
    backupCodes: [...(known?.backupCodes ?? [])],
  };
}

/** The RFC 6238 code (SHA-1, 6 digits, 30 s) of a base32 seed at a time, as an authenticator app shows it. */
export function totpCode(secret: string, at: number): string {
  return new TOTP({ secret: Secret.fromBase32(secret), algorithm: 'SHA1', digits: 6, period: 30 }).generate({
    timestamp: at,
  });
}

/** The pending-login cookie of a `second_factor_required` answer. */
export function pendingCookieOf(answer: Answer): string | undefined {
  const raw = answer.headers['set-cookie'];
  const lines = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  for (const line of lines) {
    const match = /^rk_pending=([^;]*)/.exec(line);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/**
 * Complete the second factor of a login answer with what the tests know of the person: an unused TOTP step of the
 * current, next or previous 30 s (the test clock may stand still, and each code is accepted once), else a backup code.
 */
async function completeSecondFactor(test: TestApp, login: string, answer: Answer): Promise<Answer> {
  const pending = pendingCookieOf(answer);
  const known = knownFactors.get(test)?.get(login);
  if (!pending || !known) throw new Error(`login needs a second factor the test does not know: ${login}`);
  const now = test.clock.now();
  const step = Math.floor(now / 30_000);
  const free = [step, step + 1, step - 1].find((s) => !known.usedSteps.has(s));
  let body: { method: string; code: string } | undefined;
  if (known.totpSecret && free !== undefined) {
    known.usedSteps.add(free);
    body = { method: 'totp', code: totpCode(known.totpSecret, free * 30_000) };
  } else {
    const code = known.backupCodes.shift();
    if (code) body = { method: 'backup_code', code };
  }
  if (!body) throw new Error(`no unused second factor left for ${login} at this test time`);
  return test.request('POST', '/v1/auth/second-factor', { body, headers: { cookie: `rk_pending=${pending}` } });
}

/** The session cookie value from a response's Set-Cookie headers, if any. */
export function sessionCookieOf(answer: Answer): string | undefined {
  const raw = answer.headers['set-cookie'];
  const lines = Array.isArray(raw) ? raw.map(String) : typeof raw === 'string' ? [raw] : [];
  for (const line of lines) {
    const match = /^rk_session=([^;]*)/.exec(line);
    if (match?.[1]) return match[1];
  }
  return undefined;
}

/**
 * A back-office user signed in through `POST /v1/auth/login`: sends the `rk_session` cookie and, on state-changing
 * requests, the `X-CSRF-Token` header; follows the new session id after re-authentication.
 */
export class StaffClient {
  private constructor(
    private readonly test: TestApp,
    readonly login: string,
    private password: string,
    public token: string,
    public csrf: string,
    readonly user: { id: string; role: string; merchant_id: string | null },
  ) {}

  /**
   * Sign in; throws unless the login succeeds. A second factor the test knows is completed (rememberSecondFactor), and
   * an owner, manager or admin without one enrols TOTP through the API first, as a person would.
   */
  static async signIn(test: TestApp, login: string, password: string): Promise<StaffClient> {
    let answer = await test.request('POST', '/v1/auth/login', { body: { login, password } });
    if (answer.status === 200 && answer.body?.status === 'second_factor_required') {
      answer = await completeSecondFactor(test, login, answer);
    }
    const token = sessionCookieOf(answer);
    if (answer.status !== 200 || !token)
      throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    const client = new StaffClient(test, login, password, token, answer.body.csrf_token as string, answer.body.user);
    if (answer.body.second_factor_enrolment_required === true) await client.enrolTotp();
    return client;
  }

  /** Enrol TOTP through POST /v1/me/totp and /confirm, remembering the seed and backup codes for later sign-ins. */
  async enrolTotp(): Promise<{ secret: string; backupCodes: string[] }> {
    const started = await this.post('/v1/me/totp', {});
    if (started.status !== 200) throw new Error(`totp enrol failed: ${started.status} ${JSON.stringify(started.body)}`);
    const secret = String(started.body.secret);
    const now = this.test.clock.now();
    const confirmed = await this.post('/v1/me/totp/confirm', { code: totpCode(secret, now) });
    if (confirmed.status !== 200)
      throw new Error(`totp confirm failed: ${confirmed.status} ${JSON.stringify(confirmed.body)}`);
    const backupCodes = confirmed.body.backup_codes as string[];
    rememberSecondFactor(this.test, this.login, { totpSecret: secret, backupCodes });
    knownFactors
      .get(this.test)
      ?.get(this.login)
      ?.usedSteps.add(Math.floor(now / 30_000));
    return { secret, backupCodes };
  }

  headers({
    csrf = true,
    extra = {},
  }: {
    csrf?: boolean;
    extra?: Record<string, string>;
  } = {}): Record<string, string> {
    return { cookie: `rk_session=${this.token}`, ...(csrf ? { 'x-csrf-token': this.csrf } : {}), ...extra };
  }

  async get(url: string): Promise<Answer> {
    return this.follow(await this.test.request('GET', url, { headers: this.headers({ csrf: false }) }));
  }

  /** POST with the session cookie and (unless `csrf: false`) the CSRF header. */
  async post(
    url: string,
    body?: unknown,
    { csrf = true, headers = {} }: { csrf?: boolean; headers?: Record<string, string> } = {},
  ): Promise<Answer> {
    return this.follow(
      await this.test.request('POST', url, { body: body ?? {}, headers: this.headers({ csrf, extra: headers }) }),
    );
  }

  /** Re-authenticate with the login password (needed ≤ 5 min before sensitive actions); throws unless it succeeds. */
  async reauth(password = this.password): Promise<void> {
    const answer = await this.post('/v1/auth/reauth', { password });
    if (answer.status !== 200) throw new Error(`reauth failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  }

  /** Remember a rotated session cookie and CSRF token. */
  private follow(answer: Answer): Answer {
    const token = sessionCookieOf(answer);
    if (token) this.token = token;
    if (answer.status === 200 && typeof answer.body?.csrf_token === 'string') this.csrf = answer.body.csrf_token;
    return answer;
  }
}
