import type { Answer, TestApp } from './test-app.js';

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

  /** Sign in; throws unless the login succeeds. */
  static async signIn(test: TestApp, login: string, password: string): Promise<StaffClient> {
    const answer = await test.request('POST', '/v1/auth/login', { body: { login, password } });
    const token = sessionCookieOf(answer);
    if (answer.status !== 200 || !token)
      throw new Error(`login failed: ${answer.status} ${JSON.stringify(answer.body)}`);
    return new StaffClient(test, login, password, token, answer.body.csrf_token as string, answer.body.user);
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
