import { z } from 'zod';
import type { Executor } from '../../db/schema.js';
import { toIso } from '../../lib/clock.js';
import type { Hmac } from '../../lib/hashing.js';
import * as repo from './audit.repository.js';
import type { AuditRow } from './audit.table.js';

// docs/security.md "Audit log": every entry carries HMAC(key, previous hash ‖ its canonical form); the stored head
// names the last entry; a digest of the head kept outside the database proves nothing was lost or re-chained since.

/** The previous hash of entry 1, and the head of an empty log. */
export const GENESIS_HASH = '0'.repeat(64);

/** The head as recorded outside the database: `refundkey audit digest` prints it, `audit verify --digest` checks it. */
export const AuditDigest = z
  .strictObject({
    seq: z.number().int().min(0),
    hash: z.string().regex(/^[0-9a-f]{64}$/, 'a 64-character lowercase hex hash'),
    at: z.iso.datetime().nullable(),
  })
  .refine((d) => d.seq > 0 || d.hash === GENESIS_HASH, 'seq 0 is the empty log, whose hash is all zeros');
export type AuditDigest = z.infer<typeof AuditDigest>;

/** Where and why the chain breaks; `brokenSeq` is the first entry that is missing, altered or out of place. */
export interface ChainBreak {
  brokenSeq: number;
  reason: string;
}

export type VerifyResult =
  | { ok: true; checked: number; head: { seq: number; hash: string } }
  | ({ ok: false; checked: number } & ChainBreak);

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

/** The hash an entry must carry: HMAC over its canonical form, which includes the previous entry's hash. */
export function entryHash(hmac: Hmac, row: Omit<AuditRow, 'hash'>): string {
  return hmac.digest('audit', canonical(row));
}

function carriesItsHash(hmac: Hmac, entry: AuditRow): boolean {
  const { hash, ...rest } = entry;
  return hmac.matches(hash, 'audit', canonical({ ...rest, seq: Number(rest.seq) }));
}

function entries(from: number, to: number): string {
  return from === to ? `entry ${from}` : `entries ${from}..${to}`;
}

interface Walk {
  checked: number;
  lastSeq: number;
  lastHash: string;
  /** Hashes of the entries whose seq was asked for (the head's, the digest's). */
  watched: Map<number, string>;
  broken?: ChainBreak;
}

/** Walk every entry from seq 1: each must follow the previous one, link to its hash and carry its own HMAC. */
async function walkChain(db: Executor, hmac: Hmac, watch: ReadonlySet<number>): Promise<Walk> {
  const walk: Walk = { checked: 0, lastSeq: 0, lastHash: GENESIS_HASH, watched: new Map() };
  for (;;) {
    const batch = await repo.entriesFrom(db, walk.lastSeq, 1000);
    if (batch.length === 0) return walk;
    for (const entry of batch) {
      const seq = Number(entry.seq);
      if (seq !== walk.lastSeq + 1)
        return { ...walk, broken: { brokenSeq: walk.lastSeq + 1, reason: 'entry missing' } };
      if (entry.prev_hash !== walk.lastHash)
        return { ...walk, broken: { brokenSeq: seq, reason: 'link to previous entry broken' } };
      if (!carriesItsHash(hmac, entry)) return { ...walk, broken: { brokenSeq: seq, reason: 'entry altered' } };
      if (watch.has(seq)) walk.watched.set(seq, entry.hash);
      walk.lastSeq = seq;
      walk.lastHash = entry.hash;
      walk.checked++;
    }
  }
}

/** The stored head must name the last entry: deleting the tail (or everything) leaves it pointing past the end. */
async function againstHead(db: Executor, head: { seq: number; hash: string }, walk: Walk) {
  const last = walk.lastSeq;
  if (last < head.seq) {
    if (last === 0)
      return { brokenSeq: 1, reason: `all entries missing: the log is empty but its head names seq ${head.seq}` };
    return {
      brokenSeq: last + 1,
      reason: `tail missing: ${entries(last + 1, head.seq)} deleted (the log ends at seq ${last}, its head names seq ${head.seq})`,
    };
  }
  if (head.seq > 0 && walk.watched.get(head.seq) !== head.hash)
    return { brokenSeq: head.seq, reason: `entry ${head.seq} does not carry the hash its head records` };
  if (last > head.seq) {
    // Entries appended while we walked are fine; entries past a head that has not moved mean it was set back.
    const now = await repo.readHead(db);
    if (now.seq < last)
      return {
        brokenSeq: now.seq + 1,
        reason: `head set back to seq ${now.seq}: ${entries(now.seq + 1, last)} still ${now.seq + 1 === last ? 'follows' : 'follow'} it`,
      };
  }
  return undefined;
}

/** A digest kept outside the database: its entry must still be there with the same hash. */
function againstDigest(digest: AuditDigest, walk: Walk): ChainBreak | undefined {
  const when = digest.at ? ` of ${digest.at}` : '';
  if (digest.seq > walk.lastSeq)
    return {
      brokenSeq: walk.lastSeq + 1,
      reason: `tail lost since the digest${when}: it names seq ${digest.seq}, the log ends at seq ${walk.lastSeq}`,
    };
  if (digest.seq > 0 && walk.watched.get(digest.seq) !== digest.hash)
    return { brokenSeq: digest.seq, reason: `entry rewritten since the digest${when}: its hash is not the digest's` };
  return undefined;
}

/** Verify the whole chain, then that it ends where its head says, then (when given) that it still holds the digest. */
export async function verifyChain(db: Executor, hmac: Hmac, digest?: AuditDigest): Promise<VerifyResult> {
  const head = await repo.readHead(db);
  const walk = await walkChain(db, hmac, new Set([head.seq, ...(digest ? [digest.seq] : [])]));
  const broken =
    walk.broken ?? (await againstHead(db, head, walk)) ?? (digest ? againstDigest(digest, walk) : undefined);
  if (broken) return { ok: false, checked: walk.checked, ...broken };
  return { ok: true, checked: walk.checked, head: { seq: walk.lastSeq, hash: walk.lastHash } };
}

/** The current head as a digest, after checking that its entry exists, matches it and carries its HMAC. */
export async function headDigest(
  db: Executor,
  hmac: Hmac,
): Promise<{ ok: true; digest: AuditDigest } | ({ ok: false } & ChainBreak)> {
  const head = await repo.readHead(db);
  if (head.seq === 0) return { ok: true, digest: { seq: 0, hash: GENESIS_HASH, at: null } };
  const entry = await repo.entryAt(db, head.seq);
  if (!entry) return { ok: false, brokenSeq: head.seq, reason: `entry ${head.seq} named by the head is missing` };
  if (entry.hash !== head.hash || !carriesItsHash(hmac, entry))
    return { ok: false, brokenSeq: head.seq, reason: `entry ${head.seq} does not carry the hash its head records` };
  return { ok: true, digest: { seq: head.seq, hash: head.hash, at: toIso(Number(entry.at)) } };
}
