import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { Hmac } from '../../lib/hashing.js';
import * as repo from './audit.repository.js';
import type { ActorType, AuditRow } from './audit.table.js';

/** One audit event (PCI DSS 10.2): who, what, when, outcome, from where, on what. Never a secret in `detail`. */
export interface AuditEvent {
  merchantId?: string | null;
  actor: { type: ActorType; id?: string | null };
  event: string;
  outcome: AuditRow['outcome'];
  origin?: string | null;
  object?: { type: string; id: string };
  detail?: Record<string, unknown>;
}

export type VerifyResult =
  | { ok: true; checked: number }
  | { ok: false; checked: number; brokenSeq: number; reason: string };

/** The append-only, hash-chained audit log. */
export class AuditService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
  ) {}

  /**
   * Append an event inside the caller's transaction (or its own), chained to the previous entry:
   * hash = HMAC(server key, previous hash ‖ canonical form). The head row lock orders concurrent appenders.
   */
  async record(trx: Executor | undefined, event: AuditEvent): Promise<void> {
    if (!trx) {
      await this.db.transaction().execute((own) => this.record(own, event));
      return;
    }
    const { seq, prevHash } = await repo.advanceHead(trx);
    const row: Omit<AuditRow, 'hash'> = {
      seq,
      at: this.clock.now(),
      merchant_id: event.merchantId ?? null,
      actor_type: event.actor.type,
      actor_id: event.actor.id ?? null,
      event: event.event,
      outcome: event.outcome,
      origin: event.origin ?? null,
      object_type: event.object?.type ?? null,
      object_id: event.object?.id ?? null,
      detail: JSON.stringify(event.detail ?? {}),
      prev_hash: prevHash,
    };
    await repo.appendEntry(trx, { ...row, hash: this.entryHash(row) });
  }

  /** Walk the chain from the start; the first entry whose link or hash does not match is named. */
  async verify(): Promise<VerifyResult> {
    let expectedPrev = '0'.repeat(64);
    let expectedSeq = 1;
    let checked = 0;
    for (;;) {
      const batch = await repo.entriesFrom(this.db, expectedSeq - 1, 1000);
      if (batch.length === 0) return { ok: true, checked };
      for (const entry of batch) {
        const seq = Number(entry.seq);
        if (seq !== expectedSeq) return { ok: false, checked, brokenSeq: expectedSeq, reason: 'entry missing' };
        if (entry.prev_hash !== expectedPrev)
          return { ok: false, checked, brokenSeq: seq, reason: 'link to previous entry broken' };
        const { hash, ...rest } = entry;
        if (!this.hmac.matches(hash, 'audit', canonical({ ...rest, seq })))
          return { ok: false, checked, brokenSeq: seq, reason: 'entry altered' };
        expectedPrev = hash;
        expectedSeq++;
        checked++;
      }
    }
  }

  /** Read entries with filters (newest first); the read itself is an audited event of the reader. */
  async search(
    reader: { actor: AuditEvent['actor']; merchantId: string | null; origin: string },
    filters: repo.AuditFilters,
  ): Promise<AuditRow[]> {
    const rows = await repo.searchEntries(this.db, filters);
    await this.record(undefined, {
      merchantId: filters.merchantId ?? reader.merchantId,
      actor: reader.actor,
      event: 'audit.read',
      outcome: 'success',
      origin: reader.origin,
      detail: { filters: { ...filters }, returned: rows.length },
    });
    return rows;
  }

  private entryHash(row: Omit<AuditRow, 'hash'>): string {
    return this.hmac.digest('audit', canonical(row));
  }
}

/** The canonical form of an entry: fixed field order, numbers as numbers. */
function canonical(row: Omit<AuditRow, 'hash'>): string {
  return JSON.stringify([
    Number(row.seq),
    Number(row.at),
    row.merchant_id,
    row.actor_type,
    row.actor_id,
    row.event,
    row.outcome,
    row.origin,
    row.object_type,
    row.object_id,
    row.detail,
    row.prev_hash,
  ]);
}
