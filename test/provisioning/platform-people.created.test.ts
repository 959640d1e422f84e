// A platform-level person made from the command line (`refundkey admin create`, `refundkey support-agent create`):
// one stored user with no merchant, its password checked for strength first, and one audit entry as the system's act.
// Pins what both commands store, so one function can make both.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSupportAgent } from '../../src/modules/support/support-agents.js';
import { DIALECTS } from '../support/databases.js';
import { TestApp } from '../support/test-app.js';

const PASSWORD = 'plum-harbour-lantern-42';

describe.each(DIALECTS)('a platform-level person made from the command line [%s]', (dialect) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await TestApp.start(dialect);
  });
  afterAll(async () => t?.close());

  const kinds = [
    {
      role: 'admin',
      event: 'admin.created',
      create: (input: { login: string; name: string; password: string }) =>
        t.services.provisioning.createPlatformAdmin(input),
    },
    {
      role: 'support_agent',
      event: 'support_agent.created',
      create: (input: { login: string; name: string; password: string }) => {
        const { database, staff, audit } = t.services;
        return createSupportAgent({ db: database.db, staff, audit }, input);
      },
    },
  ] as const;

  for (const kind of kinds) {
    it(`${kind.role}: one user without a merchant and one system audit entry from the cli`, async () => {
      const login = `${kind.role}-${dialect}-one`;
      const made = await kind.create({ login, name: `Name of ${login}`, password: PASSWORD });
      expect(made).toMatchObject({ login, name: `Name of ${login}`, role: kind.role, merchantId: null });

      const row = await t.db.selectFrom('users').selectAll().where('login', '=', login).executeTakeFirstOrThrow();
      expect(row).toMatchObject({
        id: made.id,
        merchant_id: null,
        role: kind.role,
        name: `Name of ${login}`,
        phone: null,
        email: null,
        store_ids: null,
        status: 'active',
      });
      expect(row.password_hash).not.toContain(PASSWORD);

      const entries = await t.db
        .selectFrom('audit_log')
        .select(['merchant_id', 'actor_type', 'actor_id', 'event', 'outcome', 'origin', 'object_type', 'object_id'])
        .select('detail')
        .where('object_id', '=', made.id)
        .execute();
      expect(entries).toEqual([
        {
          merchant_id: null,
          actor_type: 'system',
          actor_id: null,
          event: kind.event,
          outcome: 'success',
          origin: 'cli',
          object_type: 'user',
          object_id: made.id,
          detail: JSON.stringify({ login }),
        },
      ]);
    });

    it(`${kind.role}: a weak password is refused before anything is stored`, async () => {
      const login = `${kind.role}-${dialect}-weak`;
      const before = await t.rowCounts();
      await expect(kind.create({ login, name: login, password: login })).rejects.toMatchObject({
        code: 'PASSWORD_TOO_WEAK',
      });
      expect(await t.rowCounts()).toEqual(before);
    });

    // Regression: a support agent's login already taken failed with the database's own error, an admin's with 409.
    it(`${kind.role}: a login taken is 409 LOGIN_TAKEN and stores nothing`, async () => {
      const login = `${kind.role}-${dialect}-twice`;
      await kind.create({ login, name: login, password: PASSWORD });
      const before = await t.rowCounts();
      await expect(kind.create({ login, name: login, password: PASSWORD })).rejects.toMatchObject({
        code: 'LOGIN_TAKEN',
      });
      expect(await t.rowCounts()).toEqual(before);
    });
  }
});
