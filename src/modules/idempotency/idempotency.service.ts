import { createHash } from 'node:crypto';
import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, DAY } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { IdempotencyErrors } from './idempotency.errors.js';
import * as repo from './idempotency.repository.js';
import type { IdempotencyRow } from './idempotency.table.js';

/** The idempotency key of one request, scoped to its terminal. */
export interface IdempotencyScope {
  terminalId: string;
  key: string;
  requestHash: string;
}

/** A stored answer to replay, or a claimed resource whose answer is not final yet. */
export type PriorRequest = { kind: 'replay'; body: unknown } | { kind: 'unfinished'; resourceId: string };

/**
 * The `status_code` stored with every final answer. Services return the resource and the route derives its status, so
 * the column no longer decides a replay's status; it is still filled, as before, so that it marks a final answer and
 * rows written before and after read the same.
 */
const FINAL_ANSWER_STATUS = 201;

/** Keys are kept at least this long (docs/api.md "Idempotency": ≥ 24 h). */
export const IDEMPOTENCY_RETENTION = 2 * DAY;

/** Idempotency keys stored in the database, so replays hold across restarts and instances. */
export class IdempotencyService {
  /** Requests answered from what an earlier request with their key left (the edge says `Idempotent-Replayed`). */
  private readonly replays = new WeakSet<IdempotencyScope>();

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /** Validate the header and fingerprint the request (route + canonical body). */
  scope(terminalId: string, key: string | undefined, route: string, body: unknown): IdempotencyScope {
    if (!key || key.length > 255)
      throw AppError.from(IdempotencyErrors, 'IDEMPOTENCY_KEY_REQUIRED', { param: 'Idempotency-Key' });
    const requestHash = createHash('sha256').update(route).update('\u0000').update(canonicalJson(body)).digest('hex');
    return { terminalId, key, requestHash };
  }

  /** What an earlier request with this key left, or undefined for a new key; refuses a key reused with another body. */
  async prior(scope: IdempotencyScope): Promise<PriorRequest | undefined> {
    const row = await repo.findKey(this.db, scope.terminalId, scope.key);
    if (!row) return undefined;
    if (row.request_hash !== scope.requestHash) throw AppError.from(IdempotencyErrors, 'IDEMPOTENCY_KEY_REUSED');
    if (row.status_code !== null && row.response !== null) {
      this.replays.add(scope);
      return { kind: 'replay', body: JSON.parse(row.response) };
    }
    if (row.resource_id) {
      this.replays.add(scope);
      return { kind: 'unfinished', resourceId: row.resource_id };
    }
    throw AppError.from(IdempotencyErrors, 'IDEMPOTENCY_REQUEST_IN_PROGRESS');
  }

  /**
   * Whether this request's answer comes from an earlier request with the same key (stored, or the resource it created)
   * rather than from doing it now: `prior` found one. Services need not pass it back up; the HTTP edge asks.
   */
  wasReplayed(scope: IdempotencyScope): boolean {
    return this.replays.has(scope);
  }

  /**
   * The idempotent create, written once: a finished answer is replayed (a key reused with another body is refused);
   * otherwise `create` runs — it claims the key inside its own transaction — and when a concurrent request with the
   * same key won that race, its stored answer is replayed. The answer is the resource itself (the route derives the
   * status from it). `replay` turns a prior request into the resource (by default a finished one as stored, and 409
   * while the first request is still running). With `lookFirst: false` the key is not looked up before `create` (one
   * statement less where a new key is the common case, as for sales): a replay is then found when `create`'s claim
   * fails on the key's primary key, which rolls its whole transaction back.
   */
  async once<T>(
    scope: IdempotencyScope,
    create: () => Promise<T>,
    replay: (prior: PriorRequest) => Promise<T> = async (prior) => storedAnswer<T>(prior),
    { lookFirst = true }: { lookFirst?: boolean } = {},
  ): Promise<T> {
    const prior = lookFirst ? await this.prior(scope) : undefined;
    if (prior) return replay(prior);
    try {
      return await create();
    } catch (error) {
      if (!isUniqueViolation(error)) throw error;
      const raced = await this.prior(scope);
      if (raced) return replay(raced);
      throw error;
    }
  }

  /** Claim the key inside the transaction that creates the resource; a concurrent claim fails on the primary key. */
  claim(trx: Executor, scope: IdempotencyScope, resourceId: string): Promise<void> {
    return this.record(trx, scope, resourceId, undefined);
  }

  /**
   * Claim the key and store its final answer in one statement, inside the transaction that creates the resource when
   * the answer is known there (a sale whose acquirer answers inside it); with `answer` undefined, the same as `claim`.
   */
  async record(trx: Executor, scope: IdempotencyScope, resourceId: string, answer: unknown): Promise<void> {
    await repo.insertKey(trx, this.keyRow(scope, resourceId, answer));
  }

  /** The row `record` inserts, for a caller that writes it (with `keyInsert`) in the same statement as the resource. */
  keyRow(scope: IdempotencyScope, resourceId: string, answer: unknown): IdempotencyRow {
    const final = answer !== undefined;
    return {
      terminal_id: scope.terminalId,
      key: scope.key,
      request_hash: scope.requestHash,
      resource_id: resourceId,
      status_code: final ? FINAL_ANSWER_STATUS : null,
      response: final ? JSON.stringify(answer) : null,
      created_at: this.clock.now(),
    };
  }

  /** Store the final answer (the resource), in the same transaction as the state it describes. */
  async complete(trx: Executor, scope: IdempotencyScope, answer: unknown): Promise<void> {
    await repo.saveResponse(trx, scope.terminalId, scope.key, FINAL_ANSWER_STATUS, JSON.stringify(answer));
  }

  /** Forget keys past retention. */
  async purgeExpired(): Promise<number> {
    return repo.deleteOlderThan(this.db, this.clock.now() - IDEMPOTENCY_RETENTION);
  }
}

/** A stored answer as it is replayed; 409 while the first request with the key has not finished. */
export function storedAnswer<T>(prior: PriorRequest): T {
  if (prior.kind !== 'replay') throw AppError.from(IdempotencyErrors, 'IDEMPOTENCY_REQUEST_IN_PROGRESS');
  return prior.body as T;
}

/** JSON with object keys sorted, so that the same body always hashes the same. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
