import { affected } from '../../db/database.js';
import { precompiled } from '../../db/precompiled.js';
import type { Executor } from '../../db/schema.js';
import type { OperatorSessionsTable, TerminalRow } from './terminals.table.js';

export async function insertTerminal(db: Executor, row: TerminalRow): Promise<void> {
  await db.insertInto('terminals').values(row).execute();
}

export function findTerminalById(db: Executor, id: string): Promise<TerminalRow | undefined> {
  return db.selectFrom('terminals').selectAll().where('id', '=', id).executeTakeFirst();
}

/** The terminals of a store, oldest first (retired ones too: the back office shows them). */
export function terminalsOfStore(db: Executor, storeId: string): Promise<TerminalRow[]> {
  return db
    .selectFrom('terminals')
    .selectAll()
    .where('store_id', '=', storeId)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
}

// Every terminal request runs one of these two: built once (precompiled), not per request.
const terminalByKeyHash = precompiled<{ keyHash: string }, TerminalRow>(['keyHash'], (db, { keyHash }) =>
  db.selectFrom('terminals').selectAll().where('key_hash', '=', keyHash),
);

export async function findTerminalByKeyHash(db: Executor, keyHash: string): Promise<TerminalRow | undefined> {
  return (await terminalByKeyHash(db, { keyHash })).rows[0];
}

/** Use an activation code once: only one caller can turn it into a key. */
export async function consumeActivationCode(
  db: Executor,
  codeHash: string,
  keyHash: string,
  now: number,
): Promise<TerminalRow | undefined> {
  const terminal = await db
    .selectFrom('terminals')
    .selectAll()
    .where('activation_code_hash', '=', codeHash)
    .executeTakeFirst();
  if (!terminal) return undefined;
  const result = await db
    .updateTable('terminals')
    .set({
      key_hash: keyHash,
      activation_code_hash: null,
      activation_expires_at: null,
      status: 'active',
      activated_at: now,
    })
    .where('id', '=', terminal.id)
    .where('activation_code_hash', '=', codeHash)
    .where('activation_expires_at', '>', now)
    .executeTakeFirst();
  return affected(result) === 1 ? terminal : undefined;
}

/** A new activation code, unless the terminal is retired; true when it was set. */
export async function setActivationCode(
  db: Executor,
  terminalId: string,
  codeHash: string,
  expiresAt: number,
): Promise<boolean> {
  const result = await db
    .updateTable('terminals')
    .set({ activation_code_hash: codeHash, activation_expires_at: expiresAt })
    .where('id', '=', terminalId)
    .where('status', '!=', 'retired')
    .executeTakeFirst();
  return affected(result) === 1;
}

/** Retire a terminal: its key and activation code stop working and its operator sessions end. True when it changed. */
export async function retireTerminal(db: Executor, terminalId: string): Promise<boolean> {
  const result = await db
    .updateTable('terminals')
    .set({ status: 'retired', key_hash: null, activation_code_hash: null, activation_expires_at: null })
    .where('id', '=', terminalId)
    .where('status', '!=', 'retired')
    .executeTakeFirst();
  if (affected(result) !== 1) return false;
  await db.deleteFrom('operator_sessions').where('terminal_id', '=', terminalId).execute();
  return true;
}

export async function insertOperatorSession(db: Executor, row: OperatorSessionsTable): Promise<void> {
  await db.insertInto('operator_sessions').values(row).execute();
}

export async function deleteOperatorSession(db: Executor, terminalId: string, tokenHash: string): Promise<void> {
  await db
    .deleteFrom('operator_sessions')
    .where('token_hash', '=', tokenHash)
    .where('terminal_id', '=', terminalId)
    .execute();
}

export function findOperatorSession(db: Executor, tokenHash: string) {
  return db
    .selectFrom('operator_sessions')
    .innerJoin('operators', 'operators.id', 'operator_sessions.operator_id')
    .select([
      'operator_sessions.terminal_id',
      'operator_sessions.expires_at',
      'operators.id as operator_id',
      'operators.operator_no',
      'operators.name',
      'operators.status',
    ])
    .where('operator_sessions.token_hash', '=', tokenHash)
    .executeTakeFirst();
}

const terminalWithOperatorSession = precompiled(
  ['keyHash', 'tokenHash'],
  (db, args: { keyHash: string; tokenHash: string }) =>
    db
      .selectFrom('terminals')
      .leftJoin('operator_sessions', (join) => join.on('operator_sessions.token_hash', '=', args.tokenHash))
      .leftJoin('operators', 'operators.id', 'operator_sessions.operator_id')
      .select([
        'terminals.id',
        'terminals.merchant_id',
        'terminals.store_id',
        'terminals.status',
        'operator_sessions.terminal_id as session_terminal_id',
        'operator_sessions.expires_at as session_expires_at',
        'operators.id as operator_id',
        'operators.operator_no',
        'operators.name as operator_name',
        'operators.status as operator_status',
        'operators.may_refund',
        'operators.may_void',
        'operators.may_settle',
        'operators.refund_cap',
      ])
      .where('terminals.key_hash', '=', args.keyHash),
);

/**
 * A terminal by key hash together with the operator session of a token hash (null columns when there is no such
 * session): the two look-ups of an operator request in one round trip. Callers check the session's terminal.
 */
export async function findTerminalWithOperatorSession(db: Executor, keyHash: string, tokenHash: string) {
  return (await terminalWithOperatorSession(db, { keyHash, tokenHash })).rows[0];
}
