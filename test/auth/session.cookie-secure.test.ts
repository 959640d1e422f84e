// docs/security.md "Back-office sessions" (Back office sessions): the session cookie is Secure outside localhost
// (and outside the test harness), HttpOnly and SameSite=Lax (ASVS 5.0 V7).
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/http/logger.js';
import { ManualClock } from '../../src/lib/clock.js';
import { createRefundkey, type Refundkey } from '../../src/main.js';
import type { DemoMerchant } from '../../src/modules/demo/demo.service.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';

describe.each(DIALECTS)('session cookie Secure attribute [%s]', (dialect) => {
  const apps: Refundkey[] = [];
  let database: TestDatabase;
  let demo: DemoMerchant;
  let backupCodes: string[] = [];
  const start = async (env: 'development' | 'production') => {
    const config = loadConfig({ DATABASE_URL: database.url, NODE_ENV: env, REFUNDKEY_SECRET: 'k'.repeat(40) });
    const app = await createRefundkey(config, { clock: new ManualClock(), log: createLogger({ level: 'silent' }) });
    apps.push(app);
    return app;
  };
  beforeAll(async () => {
    database = await createTestDatabase(dialect, { migrated: true });
    demo = await (await start('development')).services.demo.createDemoMerchant();
    backupCodes = [...demo.owner.backup_codes];
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await database?.drop();
  });

  const sessionCookie = async (app: Refundkey, host: string) => {
    const response = await app.server.inject({
      method: 'POST',
      url: '/v1/auth/login',
      headers: { host, 'content-type': 'application/json' },
      payload: JSON.stringify({ login: demo.owner.login, password: demo.owner.password }),
    });
    expect(response.statusCode).toBe(200);
    // The demo owner has a second factor: the password gives a pending-login cookie, a backup code the session.
    const pending = ([] as string[])
      .concat(response.headers['set-cookie'] ?? [])
      .find((c) => c.startsWith('rk_pending='));
    if (!pending) throw new Error('no pending-login cookie');
    expect(pending).toMatch(/HttpOnly/);
    const second = await app.server.inject({
      method: 'POST',
      url: '/v1/auth/second-factor',
      headers: { host, 'content-type': 'application/json', cookie: pending.split(';')[0] ?? '' },
      payload: JSON.stringify({ method: 'backup_code', code: backupCodes.shift() }),
    });
    expect(second.statusCode).toBe(200);
    const cookies = ([] as string[]).concat(second.headers['set-cookie'] ?? []);
    const session = cookies.find((c) => c.startsWith('rk_session='));
    // The pending-login cookie follows the same Secure rule as the session cookie.
    expect(/Secure/.test(pending)).toBe(/Secure/.test(session ?? ''));
    if (!session) throw new Error('no session cookie');
    expect(session).toMatch(/HttpOnly/);
    expect(session).toMatch(/SameSite=Lax/);
    return session;
  };

  it('development on localhost: not Secure, so plain-http local work is possible', async () => {
    const app = apps[0];
    if (!app) throw new Error('no app');
    expect(await sessionCookie(app, 'localhost:8080')).not.toMatch(/Secure/);
    expect(await sessionCookie(app, '127.0.0.1:8080')).not.toMatch(/Secure/);
  });

  it('development on another host name: Secure', async () => {
    const app = apps[0];
    if (!app) throw new Error('no app');
    expect(await sessionCookie(app, 'backoffice.example.com')).toMatch(/Secure/);
  });

  it('production: always Secure, even on localhost', async () => {
    const app = await start('production');
    expect(await sessionCookie(app, 'localhost:8080')).toMatch(/Secure/);
  });
});
