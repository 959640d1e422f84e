import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { type AttemptRule, FOREVER } from './attempt-rules.js';
import * as repo from './attempts.repository.js';

/** What one attempt is counted against: a rule and the thing it guards (a terminal id, a refund id, ...). */
export interface AttemptSubject {
  rule: AttemptRule;
  subject: string;
  /** The merchant the subject belongs to, when known (owner unlocks are limited to their own). */
  merchantId: string | null;
}

/** Proof that an attempt was counted before its secret is checked; settle it exactly once. */
export interface AttemptTicket {
  readonly claims: ReadonlyArray<{ at: AttemptSubject; ordinal: number }>;
}

export type ClaimResult =
  | { ok: true; ticket: AttemptTicket }
  /** Refused without checking the secret; `retryAfterS` is null when the subject never unlocks by itself. */
  | { ok: false; refusedBy: AttemptSubject; retryAfterS: number | null };

export const scopeOf = (at: Pick<AttemptSubject, 'rule' | 'subject'>): string => `${at.rule.name}:${at.subject}`;

/**
 * The one way a secret is checked (docs/security.md "Attempt limits"): claim the attempt against every limit that
 * guards it, atomically and before the secret is verified; verify; then settle the claim as a success or a failure.
 * A claim is refused at the limit or while locked, so however many guesses arrive at once, no more than the limit are
 * ever verified, on any number of instances.
 */
export class AttemptLimiter {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
  ) {}

  /**
   * Claim one attempt against each subject, in the order given (the same order everywhere, so row locks never cross).
   * All or nothing: when one refuses, the claims already made are given back. Inside `executor` when given (its
   * transaction then holds the counters until it ends), else in a short transaction of its own that commits at once.
   */
  async claim(subjects: AttemptSubject[], executor?: Executor): Promise<ClaimResult> {
    // One subject is one atomic statement: no transaction needed around it.
    if (executor || subjects.length === 1) return this.claimIn(executor ?? this.db, subjects);
    return this.db.transaction().execute((trx) => this.claimIn(trx, subjects));
  }

  /** The secret could not be checked at all (the hashing pool is busy): give every claim back, as if never made. */
  async abandon(ticket: AttemptTicket): Promise<void> {
    const now = this.clock.now();
    for (const { at } of ticket.claims) await repo.giveBack(this.db, scopeOf(at), now);
  }

  /**
   * Run `check` for a claimed attempt; if it fails without an answer (an error, not true or false), the claim is given
   * back before the error goes on, so a busy server never counts against anyone.
   */
  async verifying<T>(ticket: AttemptTicket, check: () => Promise<T>): Promise<T> {
    try {
      return await check();
    } catch (error) {
      await this.abandon(ticket);
      throw error;
    }
  }

  /** The secret was right: give back what the rules say a success gives back. */
  async succeeded(ticket: AttemptTicket, executor?: Executor): Promise<void> {
    const run = async (trx: Executor) => {
      const now = this.clock.now();
      for (const { at } of ticket.claims) await repo.settleSuccess(trx, scopeOf(at), at.rule.successClears, now);
    };
    // Each statement settles one counter atomically; they need no transaction around them.
    await run(executor ?? this.db);
  }

  /** The secret was wrong: the claims stay counted; answers the subjects this failure locked. */
  async failed(ticket: AttemptTicket, executor?: Executor): Promise<AttemptSubject[]> {
    const run = async (trx: Executor) => {
      const now = this.clock.now();
      const locked: AttemptSubject[] = [];
      for (const { at } of ticket.claims) {
        const lockedNow = await repo.settleFailure(trx, {
          scope: scopeOf(at),
          limit: at.rule.limit,
          windowFloor: windowFloor(at.rule, now),
          lockUntil: at.rule.lockMs === null ? FOREVER : now + at.rule.lockMs,
          now,
        });
        if (lockedNow) locked.push(at);
      }
      return locked;
    };
    return run(executor ?? this.db);
  }

  /** Seconds until every lock among `subjects` ends, or 0 when none is locked; null when one never unlocks. */
  lockedFor(subjects: AttemptSubject[], executor: Executor = this.db): Promise<number | null> {
    return lockedFor(executor, subjects, this.clock.now());
  }

  /** Attempts left before `subject` locks (claims being verified count as made). */
  async attemptsLeft(subject: AttemptSubject, executor: Executor = this.db): Promise<number> {
    const now = this.clock.now();
    const row = await repo.find(executor, scopeOf(subject));
    if (!row) return subject.rule.limit;
    if (row.locked_until > now) return 0;
    if (row.window_start <= windowFloor(subject.rule, now)) return subject.rule.limit;
    return Math.max(0, subject.rule.limit - row.count);
  }

  /** End a lock of this merchant's subject early (an owner's or manager's decision, audited by the caller). */
  unlock(subject: AttemptSubject & { merchantId: string }, executor: Executor): Promise<boolean> {
    return repo.unlock(executor, scopeOf(subject), subject.merchantId, this.clock.now());
  }

  /** End the locks of every subject of `rule` whose id starts with `subjectPrefix` (all operators of a terminal). */
  async unlockAll(rule: AttemptRule, subjectPrefix: string, merchantId: string, executor: Executor): Promise<number> {
    return repo.unlockPrefix(executor, scopeOf({ rule, subject: subjectPrefix }), merchantId, this.clock.now());
  }

  private async claimIn(trx: Executor, subjects: AttemptSubject[]): Promise<ClaimResult> {
    const now = this.clock.now();
    const claims: Array<{ at: AttemptSubject; ordinal: number }> = [];
    for (const at of subjects) {
      const ordinal = await repo.claim(trx, {
        scope: scopeOf(at),
        merchantId: at.merchantId,
        limit: at.rule.limit,
        windowFloor: windowFloor(at.rule, now),
        now,
      });
      if (ordinal === undefined) {
        for (const made of claims) await repo.giveBack(trx, scopeOf(made.at), now);
        return { ok: false, refusedBy: at, retryAfterS: await this.retryAfter(trx, at, now) };
      }
      claims.push({ at, ordinal });
    }
    return { ok: true, ticket: { claims } };
  }

  private async retryAfter(trx: Executor, at: AttemptSubject, now: number): Promise<number | null> {
    const row = await repo.find(trx, scopeOf(at));
    if (row && row.locked_until > now)
      return row.locked_until >= FOREVER ? null : Math.ceil((row.locked_until - now) / 1000);
    if (row && row.updated_at <= now - STALE_CLAIM_MS) {
      // At the limit and nothing settled for minutes: a verifying process died. Lock as its failure would have, so the
      // scope cannot stay refused for ever without a lock that ends.
      await repo.lockStale(trx, scopeOf(at), at.rule.lockMs === null ? FOREVER : now + at.rule.lockMs, now);
    }
    // At the limit with the last claims still being verified: the lock is about to start.
    return at.rule.lockMs === null ? null : Math.ceil(at.rule.lockMs / 1000);
  }
}

/** Seconds until every lock among `subjects` ends at `now`, or 0 when none is locked; null when one never unlocks. */
export async function lockedFor(executor: Executor, subjects: AttemptSubject[], now: number): Promise<number | null> {
  const rows = await repo.findMany(
    executor,
    subjects.map((s) => scopeOf(s)),
  );
  const active = rows.filter((r) => r.locked_until > now);
  if (active.length === 0) return 0;
  const until = Math.max(...active.map((r) => r.locked_until));
  return until >= FOREVER ? null : Math.ceil((until - now) / 1000);
}

/** No verification takes this long; a claim older than this was lost with its process. */
const STALE_CLAIM_MS = 2 * 60_000;

/** Window starts at or before this are over; a run without a window never is. */
function windowFloor(rule: AttemptRule, now: number): number {
  return rule.windowMs === null ? -1 : now - rule.windowMs;
}
