import type { Compilable, CompiledQuery, DialectAdapter, QueryResult } from 'kysely';
import type pg from 'pg';
import type { Executor } from './schema.js';

/** SQL texts of precompiled queries and their PostgreSQL statement names: few and fixed, so safe to keep prepared. */
const statementNames = new Map<string, string>();

/** Stands for an argument while the query is built once; never sent to the database. */
const SLOT = '\u0000precompiled:';

/**
 * A hot query built and compiled once per database (dialect), then run with fresh values: the same SQL text and
 * parameter slots every time, so Kysely's builder and compiler run once instead of per request, and the SQLite
 * statement cache finds the same text. `build` receives a stand-in for each named argument; use it where a value goes.
 * Only for queries whose shape never depends on the values (no optional clauses, no `in (...)` lists).
 */
export function precompiled<A extends object, R>(
  names: ReadonlyArray<keyof A & string>,
  build: (db: Executor, args: { [K in keyof A]: A[K] }) => Compilable<R>,
): (db: Executor, args: A) => Promise<QueryResult<R>> {
  const compiledFor = new WeakMap<DialectAdapter, { query: CompiledQuery<R>; slots: Array<keyof A | undefined> }>();
  const standIns = Object.fromEntries(names.map((name) => [name, `${SLOT}${name}`])) as unknown as {
    [K in keyof A]: A[K];
  };
  const compile = (db: Executor) => {
    const query = build(db, standIns).compile();
    const slots = query.parameters.map((value) =>
      typeof value === 'string' && value.startsWith(SLOT) ? (value.slice(SLOT.length) as keyof A) : undefined,
    );
    const missing = names.filter((name) => !slots.includes(name));
    if (missing.length > 0) throw new Error(`precompiled query does not use ${missing.join(', ')}`);
    if (!statementNames.has(query.sql)) statementNames.set(query.sql, `rk_${statementNames.size + 1}`);
    return { query, slots };
  };
  return (db, args) => {
    const adapter = db.getExecutor().adapter;
    let entry = compiledFor.get(adapter);
    if (!entry) {
      entry = compile(db);
      compiledFor.set(adapter, entry);
    }
    const { query, slots } = entry;
    const parameters = slots.map((slot, i) => (slot === undefined ? query.parameters[i] : args[slot]));
    return db.executeQuery<R>({ ...query, parameters });
  };
}

/**
 * PostgreSQL: run precompiled queries as named prepared statements on this connection, so the server parses and plans
 * each once per connection instead of per request (pg remembers which names a connection has prepared). Every other
 * text goes through unchanged. Call once per new pool client.
 */
export function preparePrecompiled(client: pg.PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as unknown as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const [text, values] = args;
    const name = typeof text === 'string' && args.length === 2 ? statementNames.get(text) : undefined;
    return name ? query({ name, text, values }) : query(...args);
  };
}
