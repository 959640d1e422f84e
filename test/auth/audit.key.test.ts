// docs/security.md "Audit log": outside development the chain key never lives in the same database. Production
// refuses to start unless REFUNDKEY_SECRET comes from the environment, and refuses the key development generated and
// stored in the database; development (and the test suite) keep generating one there.
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/http/logger.js';
import { createRefundkey } from '../../src/main.js';
import { createTestDatabase, DIALECTS, type TestDatabase } from '../support/databases.js';

const quiet = () => ({ log: createLogger({ level: 'silent' }) });

describe.each(DIALECTS)('the audit chain key outside development [%s]', (dialect) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(dialect);
  });
  afterAll(async () => database?.drop());
  afterEach(() => vi.unstubAllEnvs());

  const tables = async () => {
    const opened = openDatabase(database.url, { poolSize: 1 });
    try {
      return (await opened.db.introspection.getTables()).map((table) => table.name);
    } finally {
      await opened.close();
    }
  };

  it('production without REFUNDKEY_SECRET refuses to start, in one line naming the variable', async () => {
    let message = '';
    try {
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: database.url });
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toMatch(/^REFUNDKEY_SECRET\b.*NODE_ENV=production/);
    expect(message).not.toContain('\n');

    // `serve` as an operator would start it: refused before the database is touched.
    vi.stubEnv('NODE_ENV', 'production');
    vi.stubEnv('REFUNDKEY_SECRET', '');
    const errors: string[] = [];
    const err = vi.spyOn(console, 'error').mockImplementation((...line: unknown[]) => void errors.push(line.join(' ')));
    const started = new Promise<string>((resolve) => setTimeout(() => resolve('still running'), 20_000));
    try {
      const outcome = await Promise.race([
        main(['serve', '--port', '0', '--database-url', database.url]).then(
          (code) => `exit ${code}`,
          (error: Error) => {
            errors.push(error.message);
            return 'exit 1';
          },
        ),
        started,
      ]);
      expect(outcome).toMatch(/^exit [12]$/);
    } finally {
      err.mockRestore();
    }
    expect(
      errors
        .join('\n')
        .split('\n')
        .filter((line) => /REFUNDKEY_SECRET.*NODE_ENV=production/.test(line)),
    ).toHaveLength(1);
    expect(await tables()).not.toContain('settings');
  });

  it('development keeps its key in the database; production refuses that key and starts with its own', async () => {
    const dev = await createRefundkey(loadConfig({ NODE_ENV: 'development', DATABASE_URL: database.url }), quiet());
    const stored = await dev.services.database.db
      .selectFrom('settings')
      .select('value')
      .where('name', '=', 'server_key')
      .executeTakeFirstOrThrow();
    await dev.close();
    expect(stored.value).toMatch(/^[0-9a-f]{64}$/);

    const copied = loadConfig({ NODE_ENV: 'production', DATABASE_URL: database.url, REFUNDKEY_SECRET: stored.value });
    await expect(createRefundkey(copied, quiet())).rejects.toThrow(
      /^REFUNDKEY_SECRET is the development key stored in the database \(settings\.server_key\); choose a new one$/,
    );

    const own = 'production-key-from-the-environment-0123456789';
    const prod = await createRefundkey(
      loadConfig({ NODE_ENV: 'production', DATABASE_URL: database.url, REFUNDKEY_SECRET: own }),
      quiet(),
    );
    try {
      await prod.services.audit.record(undefined, { actor: { type: 'system' }, event: 'test.key', outcome: 'info' });
      const keys = await sql<{ value: string }>`select value from settings where name = 'server_key'`.execute(
        prod.services.database.db,
      );
      // The production key was not written anywhere in the settings; only the old development key remains.
      expect(keys.rows.map((r) => r.value)).toEqual([stored.value]);
    } finally {
      await prod.close();
    }
  });
});
