import pg from 'pg';
import { parseFlags } from './flags.js';

// docs/security.md "Database roles (PostgreSQL)": the role the server connects as owns nothing, so it can neither
// disable the audit log's trigger nor replace its function, and may only read and append audit entries.

const HELP = `refundkey db roles — least-privilege PostgreSQL roles (docs/security.md "Database roles (PostgreSQL)")

Prints the SQL (or runs it with --apply) that creates
  an owner role   owns the schema, every table and the audit trigger; runs 'refundkey migrate'
  a serving role  what 'refundkey serve' connects as: reads and writes the business tables, only SELECT and
                  INSERT on audit_log (no UPDATE, DELETE, TRUNCATE), moves the audit head, owns nothing
Run it as a superuser on the refundkey database after 'refundkey migrate', and again after an upgrade adds
tables; it is safe to run twice. No password is set: use ALTER ROLE … PASSWORD, or certificates.

Options:
  --owner <name>         owner role (default refundkey_owner)
  --app <name>           serving role (default refundkey_app)
  --apply                run the SQL on --database-url (a superuser's URL) and check the result
  --database-url <url>   postgres://superuser@host:5432/refundkey (env DATABASE_URL)
  -h, --help`;

const ROLE_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

export interface RoleNames {
  owner: string;
  app: string;
}

/** The SQL that sets up the two roles on the current database; names must be plain lowercase identifiers. */
export function rolesSql({ owner, app }: RoleNames): string {
  for (const name of [owner, app]) {
    if (!ROLE_NAME.test(name)) throw new Error(`role name ${JSON.stringify(name)}: use a-z, 0-9 and _ only`);
  }
  if (owner === app) throw new Error('the owner and the serving role must be two roles');
  const O = `"${owner}"`;
  const A = `"${app}"`;
  return `-- refundkey: least-privilege roles (docs/security.md "Database roles (PostgreSQL)")
-- Run as a superuser on the refundkey database, after 'refundkey migrate'. Safe to run twice.
BEGIN;

-- 1. Two login roles without special powers; the serving role is not a member of the owner.
DO $$ BEGIN
  IF current_user IN ('${owner}', '${app}') THEN
    RAISE EXCEPTION 'run this as a superuser other than the roles it sets up (connected as %)', current_user;
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${owner}') THEN CREATE ROLE ${O} LOGIN; END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '${app}') THEN CREATE ROLE ${A} LOGIN; END IF;
  IF pg_has_role('${app}', '${owner}', 'MEMBER') THEN
    RAISE EXCEPTION 'role ${app} is a member of ${owner}: revoke it first';
  END IF;
  EXECUTE format('GRANT CONNECT ON DATABASE %I TO ${O}, ${A}', current_database());
END $$;
ALTER ROLE ${O} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;
ALTER ROLE ${A} NOSUPERUSER NOCREATEDB NOCREATEROLE NOREPLICATION NOBYPASSRLS;

-- 2. Only the owner creates objects in the schema.
REVOKE CREATE ON SCHEMA public FROM PUBLIC, ${A};
GRANT USAGE, CREATE ON SCHEMA public TO ${O};
GRANT USAGE ON SCHEMA public TO ${A};

-- 3. Everything in the schema belongs to the owner: whoever owns audit_log can disable its trigger, whoever owns
--    audit_log_append_only() can replace it. Objects of extensions are left alone.
DO $$ DECLARE r record; BEGIN
  FOR r IN SELECT c.oid::regclass AS rel, c.relkind FROM pg_class c
           WHERE c.relnamespace = 'public'::regnamespace AND c.relkind IN ('r', 'p', 'v', 'm', 'S')
             AND c.relowner <> '${owner}'::regrole
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_class'::regclass AND d.objid = c.oid
                             AND d.deptype IN ('e', 'a', 'i'))
  LOOP
    EXECUTE format('ALTER %s %s OWNER TO ${O}',
      CASE r.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW' WHEN 'm' THEN 'MATERIALIZED VIEW' ELSE 'TABLE' END,
      r.rel);
  END LOOP;
  FOR r IN SELECT p.oid::regprocedure AS fn FROM pg_proc p
           WHERE p.pronamespace = 'public'::regnamespace AND p.proowner <> '${owner}'::regrole
             AND NOT EXISTS (SELECT FROM pg_depend d WHERE d.classid = 'pg_proc'::regclass AND d.objid = p.oid
                             AND d.deptype = 'e')
  LOOP
    EXECUTE format('ALTER FUNCTION %s OWNER TO ${O}', r.fn);
  END LOOP;
END $$;

-- 4. The serving role reads and writes the business tables, including those later migrations create.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${A};
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${A};
ALTER DEFAULT PRIVILEGES FOR ROLE ${O} IN SCHEMA public GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${A};
ALTER DEFAULT PRIVILEGES FOR ROLE ${O} IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO ${A};

-- 5. The audit log: read and append only. The head row moves with each entry; 'audit verify' checks it against
--    the entries, which this role cannot delete, and a digest kept outside the database checks both.
REVOKE ALL ON public.audit_log, public.audit_head FROM ${A};
GRANT SELECT, INSERT ON public.audit_log TO ${A};
GRANT SELECT, UPDATE (seq, hash) ON public.audit_head TO ${A};

-- 6. Migrations are the owner's; serve only reads their bookkeeping to see the schema is current.
REVOKE ALL ON public.kysely_migration, public.kysely_migration_lock FROM ${A};
GRANT SELECT ON public.kysely_migration, public.kysely_migration_lock TO ${A};

COMMIT;
`;
}

/** What the serving role can still do that it must not; empty when the setup holds. */
export async function rolesProblems(client: pg.Client, { owner, app }: RoleNames): Promise<string[]> {
  const { rows } = await client.query<{ problem: string | null }>(
    `select unnest(array[
       case when pg_has_role($2, $1, 'MEMBER') then $2 || ' is a member of ' || $1 end,
       case when (select rolsuper or rolbypassrls from pg_roles where rolname = $2) then $2 || ' is a superuser or bypasses RLS' end,
       case when has_table_privilege($2, 'public.audit_log', 'UPDATE') then $2 || ' may UPDATE audit_log' end,
       case when has_table_privilege($2, 'public.audit_log', 'DELETE') then $2 || ' may DELETE from audit_log' end,
       case when has_table_privilege($2, 'public.audit_log', 'TRUNCATE') then $2 || ' may TRUNCATE audit_log' end,
       case when has_table_privilege($2, 'public.audit_log', 'TRIGGER') then $2 || ' may create triggers on audit_log' end,
       case when (select relowner <> $1::regrole from pg_class where oid = 'public.audit_log'::regclass)
            then 'audit_log is not owned by ' || $1 end,
       case when (select proowner <> $1::regrole from pg_proc where oid = 'public.audit_log_append_only()'::regprocedure)
            then 'audit_log_append_only() is not owned by ' || $1 end,
       case when has_schema_privilege($2, 'public', 'CREATE') then $2 || ' may create objects in schema public' end
     ]) as problem`,
    [owner, app],
  );
  return rows.flatMap((r) => (r.problem ? [r.problem] : []));
}

/** Run the SQL as the superuser of `databaseUrl`, then check what the serving role can do. */
export async function applyRoles(databaseUrl: string, names: RoleNames): Promise<string[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const migrated = await client.query<{ t: string | null }>(`select to_regclass('public.audit_log') as t`);
    if (!migrated.rows[0]?.t) throw new Error("audit_log not found: run 'refundkey migrate' on this database first");
    await client.query(rolesSql(names));
    return await rolesProblems(client, names);
  } finally {
    await client.end();
  }
}

/** `refundkey db roles [--apply]`; returns the exit code. */
export async function runDb(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub === '--help' || sub === '-h') {
    console.log(HELP);
    return 0;
  }
  if (sub !== 'roles') {
    console.error(`usage: refundkey db roles [--owner NAME] [--app NAME] [--apply --database-url URL]\n\n${HELP}`);
    return 2;
  }
  const flags = parseFlags(
    rest,
    {
      owner: { type: 'string' },
      app: { type: 'string' },
      apply: { type: 'boolean' },
      'database-url': { type: 'string' },
    },
    HELP,
  );
  if (!flags) return 0;
  const names = { owner: flags.owner ?? 'refundkey_owner', app: flags.app ?? 'refundkey_app' };
  if (!flags.apply) {
    console.log(rolesSql(names));
    return 0;
  }
  const url = flags['database-url'] ?? process.env.DATABASE_URL;
  if (!url?.startsWith('postgres')) {
    console.error('db roles --apply: --database-url (or DATABASE_URL) must be a postgres:// URL of a superuser');
    return 2;
  }
  const problems = await applyRoles(url, names);
  if (problems.length > 0) {
    console.error(`数据库角色不安全 / database roles not least-privilege: ${problems.join('; ')}`);
    return 1;
  }
  console.log(
    `数据库角色已设置 / roles set: ${names.owner} owns the schema, ${names.app} may only SELECT and INSERT on audit_log`,
  );
  return 0;
}
