// docs/security.md "Audit log": `audit verify` checks the chain against its stored head, so a deleted tail (or an
// emptied log) is named; with a digest kept outside the database (`audit digest`, `verify --digest FILE`) it also
// notices a tail lost together with its head, or a log re-chained by someone holding the key. With the key outside the
// database, an entry rewritten with the database's contents alone is named (PCI DSS 10.3.2, 10.5).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { main } from '../../src/cli/index.js';
import { Hmac } from '../../src/lib/hashing.js';
import { entryHash } from '../../src/modules/audit/audit.chain.js';
import type { AuditRow } from '../../src/modules/audit/audit.table.js';
import { DIALECTS } from '../support/databases.js';
import { TestApp } from '../support/test-app.js';

/** The chain key as production passes it: from the environment, never stored in the database. */
const SECRET = 'audit-head-test-secret-0123456789abcdef';
const ENTRIES = 6;

describe.each(DIALECTS)('audit chain against its head and a digest [%s]', (dialect) => {
  let t: TestApp;
  let dir: string;
  beforeAll(async () => {
    t = await TestApp.start(dialect, { env: { REFUNDKEY_SECRET: SECRET } });
    for (let i = 1; i <= ENTRIES; i++) {
      await t.services.audit.record(undefined, {
        actor: { type: 'system' },
        event: `test.step_${i}`,
        outcome: 'info',
        detail: { step: i },
      });
    }
    dir = mkdtempSync(join(tmpdir(), 'refundkey-digest-'));
  });
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    await t?.close();
  });
  afterEach(() => vi.unstubAllEnvs());

  /** Run `refundkey audit ...` in process, as the operator would with the server's key in the environment. */
  const cli = async (...args: string[]) => {
    vi.stubEnv('REFUNDKEY_SECRET', SECRET);
    const out: string[] = [];
    const errors: string[] = [];
    const log = vi.spyOn(console, 'log').mockImplementation((...line: unknown[]) => void out.push(line.join(' ')));
    const err = vi.spyOn(console, 'error').mockImplementation((...line: unknown[]) => void errors.push(line.join(' ')));
    try {
      const code = await main(['audit', ...args, '--database-url', t.services.config.databaseUrl]);
      return { code, out: out.join('\n'), errors: errors.join('\n') };
    } finally {
      log.mockRestore();
      err.mockRestore();
    }
  };

  const saveDigest = async (name: string) => {
    const printed = await cli('digest');
    expect(printed.code).toBe(0);
    const file = join(dir, `${name}.json`);
    writeFileSync(file, printed.out);
    return { file, digest: JSON.parse(printed.out) as { seq: number; hash: string; at: string | null } };
  };

  /**
   * Tamper as someone with write access to the database would (on PostgreSQL a superuser who first disables the
   * append-only triggers), check, then put every row back exactly and prove the log verifies again.
   */
  const tampered = async (tamper: () => Promise<void>, check: () => Promise<void>) => {
    const rows = await t.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    const head = await t.db.selectFrom('audit_head').selectAll().executeTakeFirstOrThrow();
    const triggers = async (on: boolean) => {
      if (dialect !== 'postgres') return;
      const action = sql.raw(on ? 'enable' : 'disable');
      await sql`alter table audit_log ${action} trigger audit_log_append_only`.execute(t.db);
      await sql`alter table audit_log ${action} trigger audit_log_no_truncate`.execute(t.db);
    };
    await triggers(false);
    try {
      await tamper();
      await triggers(true);
      await check();
    } finally {
      await triggers(false);
      await t.db.deleteFrom('audit_log').execute();
      for (const row of rows) await t.db.insertInto('audit_log').values(row).execute();
      await t.db.updateTable('audit_head').set({ seq: head.seq, hash: head.hash }).where('id', '=', 1).execute();
      await triggers(true);
    }
    expect(await t.services.audit.verify()).toMatchObject({ ok: true, checked: rows.length });
  };

  const count = async () =>
    Number((await sql<{ n: string }>`select count(*) as n from audit_log`.execute(t.db)).rows[0]?.n);

  /** Re-chain from `fromSeq` to the end with `key`, and move the head along, as an attacker with that key would. */
  const rechain = async (key: Buffer, fromSeq: number) => {
    const hmac = new Hmac(key);
    const rows = await t.db.selectFrom('audit_log').selectAll().orderBy('seq').execute();
    let prev = rows.find((r) => Number(r.seq) === fromSeq - 1)?.hash ?? '0'.repeat(64);
    for (const row of rows.filter((r) => Number(r.seq) >= fromSeq)) {
      const { hash: _old, ...rest } = row;
      const hash = entryHash(hmac, { ...rest, prev_hash: prev } satisfies Omit<AuditRow, 'hash'>);
      await t.db.updateTable('audit_log').set({ prev_hash: prev, hash }).where('seq', '=', row.seq).execute();
      prev = hash;
    }
    await t.db.updateTable('audit_head').set({ hash: prev }).where('id', '=', 1).execute();
  };

  it('an untouched log verifies up to its head, and its digest names the head entry', async () => {
    const total = await count();
    expect(total).toBeGreaterThanOrEqual(ENTRIES);
    const verified = await cli('verify');
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.out).toContain(`${total} entries verified up to its head (seq ${total})`);
    const { file, digest } = await saveDigest('untouched');
    const head = await t.db.selectFrom('audit_head').select(['seq', 'hash']).executeTakeFirstOrThrow();
    const last = await t.db.selectFrom('audit_log').select('at').where('seq', '=', head.seq).executeTakeFirstOrThrow();
    expect(digest).toEqual({ seq: Number(head.seq), hash: head.hash, at: new Date(Number(last.at)).toISOString() });
    expect(await cli('verify', '--digest', file)).toMatchObject({ code: 0 });
  });

  it('deleting the last entry fails, naming it as missing', async () => {
    const last = await count();
    await tampered(
      async () => {
        await t.db.deleteFrom('audit_log').where('seq', '=', last).execute();
      },
      async () => {
        const result = await cli('verify');
        expect(result.code).toBe(1);
        expect(result.errors).toContain(`broken at seq ${last}: tail missing: entry ${last} deleted`);
        expect(result.errors.split('\n')).toHaveLength(1);
      },
    );
  });

  it('deleting the last three entries names all three', async () => {
    const last = await count();
    await tampered(
      async () => {
        await t.db
          .deleteFrom('audit_log')
          .where('seq', '>', last - 3)
          .execute();
      },
      async () => {
        const result = await cli('verify');
        expect(result.code).toBe(1);
        expect(result.errors).toContain(`tail missing: entries ${last - 2}..${last} deleted`);
      },
    );
  });

  it('deleting every entry fails: the head still names the last one', async () => {
    const last = await count();
    await tampered(
      async () => {
        await t.db.deleteFrom('audit_log').execute();
      },
      async () => {
        expect(await count()).toBe(0);
        const result = await cli('verify');
        expect(result.code).toBe(1);
        expect(result.errors).toContain(`all entries missing: the log is empty but its head names seq ${last}`);
        expect((await cli('digest')).code).toBe(1);
      },
    );
  });

  it('an entry rewritten with the database’s contents alone is named', async () => {
    // Whoever can write the database finds no chain key in it (it comes from the environment) ...
    expect(await t.db.selectFrom('settings').select('value').where('name', '=', 'server_key').execute()).toEqual([]);
    const target = 3;
    await tampered(
      async () => {
        await t.db.updateTable('audit_log').set({ outcome: 'failure' }).where('seq', '=', target).execute();
        // ... so the best they can do is re-chain with a key of their own, and move the head along.
        await rechain(Buffer.from('a-key-the-attacker-made-up-0123456789'), target);
      },
      async () => {
        const result = await cli('verify');
        expect(result.code).toBe(1);
        expect(result.errors).toContain(`broken at seq ${target}: entry altered`);
      },
    );
  });

  it('the digest notices a tail deleted together with its head', async () => {
    const { file, digest } = await saveDigest('before-tail-loss');
    await tampered(
      async () => {
        await t.db.deleteFrom('audit_log').where('seq', '=', digest.seq).execute();
        const kept = await t.db
          .selectFrom('audit_log')
          .select('hash')
          .where('seq', '=', digest.seq - 1)
          .executeTakeFirstOrThrow();
        await t.db
          .updateTable('audit_head')
          .set({ seq: digest.seq - 1, hash: kept.hash })
          .where('id', '=', 1)
          .execute();
      },
      async () => {
        // The database alone now looks consistent; only the digest kept outside shows the loss.
        expect((await cli('verify')).code).toBe(0);
        const result = await cli('verify', '--digest', file);
        expect(result.code).toBe(1);
        expect(result.errors).toContain(`tail lost since the digest of ${digest.at}: it names seq ${digest.seq}`);
        expect(result.errors.split('\n')).toHaveLength(1);
      },
    );
  });

  it('the digest notices a log re-chained by someone holding the key (as the development key in the database)', async () => {
    const { file, digest } = await saveDigest('before-rechain');
    await tampered(
      async () => {
        await t.db.updateTable('audit_log').set({ outcome: 'failure' }).where('seq', '=', 2).execute();
        await rechain(Buffer.from(SECRET, 'utf8'), 2);
      },
      async () => {
        expect((await cli('verify')).code).toBe(0);
        const result = await cli('verify', '--digest', file);
        expect(result.code).toBe(1);
        expect(result.errors).toContain(`broken at seq ${digest.seq}: entry rewritten since the digest`);
      },
    );
  });

  it('a head set back below entries that still exist is named', async () => {
    const last = await count();
    await tampered(
      async () => {
        const earlier = await t.db
          .selectFrom('audit_log')
          .select('hash')
          .where('seq', '=', last - 1)
          .executeTakeFirstOrThrow();
        await t.db
          .updateTable('audit_head')
          .set({ seq: last - 1, hash: earlier.hash })
          .where('id', '=', 1)
          .execute();
      },
      async () => {
        const result = await cli('verify');
        expect(result.code).toBe(1);
        expect(result.errors).toContain(
          `broken at seq ${last}: head set back to seq ${last - 1}: entry ${last} still follows it`,
        );
      },
    );
  });

  it('verify does not cry wolf while entries are appended at the same time', async () => {
    // Regression guard for the head check: entries committed during the walk lie past the head read at its start.
    const appends = Array.from({ length: 40 }, (_, i) =>
      t.services.audit.record(undefined, {
        actor: { type: 'system' },
        event: 'test.concurrent',
        outcome: 'info',
        detail: { i },
      }),
    );
    const checks = Array.from({ length: 5 }, () => t.services.audit.verify());
    const results = await Promise.all([...checks, ...appends]);
    for (const result of results.slice(0, checks.length)) expect(result).toMatchObject({ ok: true });
    expect(await t.services.audit.verify()).toMatchObject({ ok: true, checked: await count() });
  });

  it('a digest of a later state, or a file that is no digest, fails with one line', async () => {
    const { digest } = await saveDigest('now');
    const future = join(dir, 'future.json');
    writeFileSync(future, JSON.stringify({ ...digest, seq: digest.seq + 5 }));
    const ahead = await cli('verify', '--digest', future);
    expect(ahead.code).toBe(1);
    expect(ahead.errors).toContain(`tail lost since the digest of ${digest.at}: it names seq ${digest.seq + 5}`);

    const wrongHash = join(dir, 'wrong-hash.json');
    writeFileSync(wrongHash, JSON.stringify({ ...digest, hash: 'f'.repeat(64) }));
    expect((await cli('verify', '--digest', wrongHash)).errors).toContain(`broken at seq ${digest.seq}`);

    const garbage = join(dir, 'garbage.json');
    writeFileSync(garbage, '{"seq": "three"}');
    const bad = await cli('verify', '--digest', garbage);
    expect(bad.code).toBe(1);
    expect(bad.errors).toMatch(/digest .*garbage\.json is not \{seq, hash, at\}/);
    expect(bad.errors.split('\n')).toHaveLength(1);
    expect((await cli('verify', '--digest', join(dir, 'absent.json'))).errors).toContain('ENOENT');
  });
});
