import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import type { Hmac } from '../../lib/hashing.js';
import { type AuditDigest, entryHash, headDigest, type VerifyResult, verifyChain } from './audit.chain.js';
import * as repo from './audit.repository.js';
import { type ActorType, type AuditRow, DetailColumn } from './audit.table.js';

export type { AuditDigest, VerifyResult } from './audit.chain.js';

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
      detail: DetailColumn.write(event.detail ?? {}),
      prev_hash: prevHash,
    };
    await repo.appendEntry(trx, { ...row, hash: entryHash(this.hmac, row) });
  }

  /**
   * Check every entry's link and HMAC, that the chain ends where its stored head says (a deleted tail is named), and,
   * given a digest kept outside the database, that the log still holds that entry with that hash.
   */
  verify(digest?: AuditDigest): Promise<VerifyResult> {
    return verifyChain(this.db, this.hmac, digest);
  }

  /** The current head as `{seq, hash, at}`, to keep outside the database; refused when the head's entry is not intact. */
  digest(): ReturnType<typeof headDigest> {
    return headDigest(this.db, this.hmac);
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
}
