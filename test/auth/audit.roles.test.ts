// docs/security.md "Database roles (PostgreSQL)": `refundkey db roles --apply` leaves the serving role owning nothing,
// so it can only SELECT and INSERT audit entries: no UPDATE, DELETE or TRUNCATE, and it cannot disable the trigger or
// replace its function. The server runs on that role; migrations run on the owner. PostgreSQL only: SQLite has no
// roles (it relies on the chain, its head and the digest).
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { rolesProblems } from '../../src/cli/db-roles.js';
import { main } from '../../src/cli/index.js';
import { loadConfig } from '../../src/config.js';
import { openDatabase } from '../../src/db/database.js';
import { migrateToLatest } from '../../src/db/migrate.js';
import { createLogger } from '../../src/http/logger.js';
import { createRefundkey, type Refundkey } from '../../src/main.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';

const unique = `${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
const names = { owner: `rk_owner_${unique}`, app: `rk_app_${unique}` };
const SECRET = 'roles-test-secret-0123456789abcdefghij';

/** The same database, connected as another role (trust authentication on the test server). */
function urlAs(url: string, role: string): string {
  const as = new URL(url);
  as.username = role;
  as.password = '';
  return as.toString();
}

async function query(url: string, text: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(text);
  } finally {
    await client.end();
  }
}

async function ownerOf(url: string, table: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows } = await client.query<{ owner: string }>(
      'select pg_get_userbyid(relowner) as owner from pg_class where oid = $1::regclass',
      [table],
    );
    return rows[0]?.owner;
  } finally {
    await client.end();
  }
}

async function cli(...args: string[]) {
  const out: string[] = [];
  const log = vi.spyOn(console, 'log').mockImplementation((...line: unknown[]) => void out.push(line.join(' ')));
  const err = vi.spyOn(console, 'error').mockImplementation((...line: unknown[]) => void out.push(line.join(' ')));
  try {
    return { code: await main(args), out: out.join('\n') };
  } finally {
    log.mockRestore();
    err.mockRestore();
  }
}

describe('least-privilege PostgreSQL roles [postgres]', () => {
  let database: TestDatabase;
  let app: Refundkey | undefined;
  let appUrl: string;
  beforeAll(async () => {
    database = await createTestDatabase('postgres');
    appUrl = urlAs(database.url, names.app);
    // As installations start today: the serving role itself migrated the schema, so it owns every table.
    await query(database.url, `create role "${names.app}" login; grant create on schema public to "${names.app}"`);
    const opened = openDatabase(appUrl, { poolSize: 1 });
    try {
      await migrateToLatest(opened.db);
    } finally {
      await opened.close();
    }
    await expect(ownerOf(database.url, 'audit_log')).resolves.toBe(names.app);
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
    await query(inject('pgAdminUrl'), `drop role if exists "${names.app}", "${names.owner}"`);
  });

  it('prints the SQL, and refuses names that are not plain identifiers', async () => {
    const printed = await cli('db', 'roles', '--owner', names.owner, '--app', names.app);
    expect(printed.code).toBe(0);
    expect(printed.out).toContain(`GRANT SELECT, INSERT ON public.audit_log TO "${names.app}";`);
    expect(printed.out).not.toMatch(/GRANT[^;]*(UPDATE|DELETE|TRUNCATE)[^;]*ON public\.audit_log\b/);
    await expect(cli('db', 'roles', '--app', 'app"; drop table audit_log; --')).rejects.toThrow(/a-z, 0-9 and _ only/);
    // Naming the superuser it runs as would strip that superuser of its powers: refused, nothing changed.
    const self = new URL(database.url).username;
    await expect(cli('db', 'roles', '--apply', '--database-url', database.url, '--app', self)).rejects.toThrow(
      /superuser other than the roles it sets up/,
    );
  });

  it('applies (twice, idempotent) and the check finds nothing the serving role may do to the audit log', async () => {
    for (let run = 0; run < 2; run++) {
      const applied = await cli(
        'db',
        'roles',
        '--apply',
        '--database-url',
        database.url,
        '--owner',
        names.owner,
        '--app',
        names.app,
      );
      expect(applied).toMatchObject({ code: 0 });
      expect(applied.out).toContain(`${names.app} may only SELECT and INSERT on audit_log`);
    }
    await expect(ownerOf(database.url, 'audit_log')).resolves.toBe(names.owner);
  });

  it('the server runs as the serving role: it appends audit entries and verifies the chain', async () => {
    app = await createRefundkey(loadConfig({ NODE_ENV: 'test', DATABASE_URL: appUrl, REFUNDKEY_SECRET: SECRET }), {
      log: createLogger({ level: 'silent' }),
    });
    const before = (await app.services.audit.verify()) as { ok: true; checked: number };
    await app.services.demo.createDemoMerchant();
    await app.services.audit.record(undefined, { actor: { type: 'system' }, event: 'test.as_app', outcome: 'info' });
    const after = await app.services.audit.verify();
    expect(after).toMatchObject({ ok: true });
    expect(after.checked).toBeGreaterThan(before.checked);
  });

  it('audit verify and audit digest run as the serving role', async () => {
    vi.stubEnv('REFUNDKEY_SECRET', SECRET);
    try {
      const digest = await cli('audit', 'digest', '--database-url', appUrl);
      expect(digest.code).toBe(0);
      expect(JSON.parse(digest.out)).toMatchObject({
        seq: expect.any(Number),
        hash: expect.stringMatching(/^[0-9a-f]{64}$/),
      });
      const verified = await cli('audit', 'verify', '--database-url', appUrl);
      expect(verified).toMatchObject({ code: 0 });
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it.each([
    [
      'UPDATE an entry',
      `update audit_log set outcome = 'failure' where seq = 1`,
      /permission denied for table audit_log/,
    ],
    ['DELETE an entry', 'delete from audit_log where seq = 1', /permission denied for table audit_log/],
    ['TRUNCATE the log', 'truncate audit_log', /permission denied for table audit_log/],
    [
      'disable the trigger',
      'alter table audit_log disable trigger audit_log_append_only',
      /must be owner of table audit_log/,
    ],
    ['disable every trigger', 'alter table audit_log disable trigger all', /must be owner of table audit_log/],
    [
      'replace the trigger function',
      `create or replace function audit_log_append_only() returns trigger language plpgsql as $$ begin return old; end $$`,
      /must be owner of function audit_log_append_only|permission denied for schema public/,
    ],
    [
      'skip triggers by replication role',
      'set session_replication_role = replica',
      /permission denied to set parameter/,
    ],
    ['drop the log', 'drop table audit_log', /must be owner of table audit_log/],
    [
      'add its own trigger',
      'create trigger t before insert on audit_log for each row execute function audit_log_append_only()',
      /permission denied for table audit_log|must be owner/,
    ],
  ])('the serving role cannot %s', async (_what, statement, refused) => {
    await expect(query(appUrl, statement)).rejects.toThrow(refused);
  });

  it('migrations run as the owner role, and the check notices a grant that breaks the rule', async () => {
    expect((await cli('migrate', '--database-url', urlAs(database.url, names.owner))).code).toBe(0);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      expect(await rolesProblems(admin, names)).toEqual([]);
      await admin.query(`grant update, delete on audit_log to "${names.app}"`);
      expect(await rolesProblems(admin, names)).toEqual([
        `${names.app} may UPDATE audit_log`,
        `${names.app} may DELETE from audit_log`,
      ]);
      await admin.query(`revoke update, delete on audit_log from "${names.app}"`);
    } finally {
      await admin.end();
    }
  });
});
