import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { staffOf } from '../access/index.js';
import type { AuditService } from './audit.service.js';
import { type AuditRow, DetailColumn } from './audit.table.js';

const AuditQuery = z.strictObject({
  merchant_id: z.string().min(1).max(64).optional(),
  event: z.string().min(1).max(64).optional(),
  actor_id: z.string().min(1).max(128).optional().describe('the user, operator or terminal id who acted'),
  object_id: z.string().min(1).max(128).optional(),
  from: z.iso.datetime().optional(),
  to: z.iso.datetime().optional(),
  before_seq: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

const EntryView = z.object({
  seq: z.number(),
  at: z.string(),
  merchant_id: z.string().nullable(),
  actor: z.object({ type: z.string(), id: z.string().nullable() }),
  event: z.string(),
  outcome: z.string(),
  origin: z.string().nullable(),
  object: z.object({ type: z.string(), id: z.string() }).nullable(),
  detail: z.record(z.string(), z.unknown()),
});

const ChainStatus = z.object({
  status: z.enum(['intact', 'broken']),
  /** Entries whose link and HMAC were checked. */
  checked: z.number(),
  /** Every entry up to this seq is intact (0: none). */
  verified_to_seq: z.number(),
  broken_at_seq: z.number().nullable(),
  reason: z.string().nullable(),
});

function entryView(row: AuditRow): z.infer<typeof EntryView> {
  return {
    seq: Number(row.seq),
    at: toIso(Number(row.at)),
    merchant_id: row.merchant_id,
    actor: { type: row.actor_type, id: row.actor_id },
    event: row.event,
    outcome: row.outcome,
    origin: row.origin,
    object: row.object_type && row.object_id ? { type: row.object_type, id: row.object_id } : null,
    detail: DetailColumn.read(row.detail),
  };
}

/** The audit log read API: owners read their merchant's entries, platform admins any; every read is audited. */
export function auditRoutes(services: { audit: AuditService }): FastifyPluginAsyncZod {
  const { audit } = services;
  return async (app) => {
    app.get(
      '/v1/audit',
      {
        config: { auth: 'staff', roles: ['owner', 'admin'] },
        schema: {
          tags: ['back office'],
          summary: 'Audit entries, newest first (owners: their merchant; admins: any)',
          querystring: AuditQuery,
          response: { 200: z.object({ data: z.array(EntryView), next_before_seq: z.number().nullable() }) },
        },
      },
      async (request) => {
        const staff = staffOf(request);
        const q = request.query;
        let merchantId = q.merchant_id;
        if (staff.role !== 'admin') {
          // Another merchant's log is answered like an unknown object (docs/api.md: 404 for other merchants' objects).
          if (staff.merchantId === null || (merchantId !== undefined && merchantId !== staff.merchantId)) {
            throw AppError.from(CommonErrors, 'NOT_FOUND');
          }
          merchantId = staff.merchantId;
        }
        const rows = await audit.search(
          { actor: { type: 'user', id: staff.userId }, merchantId: staff.merchantId, origin: staff.ip },
          {
            merchantId,
            event: q.event,
            actorId: q.actor_id,
            objectId: q.object_id,
            from: q.from === undefined ? undefined : Date.parse(q.from),
            to: q.to === undefined ? undefined : Date.parse(q.to),
            beforeSeq: q.before_seq,
            limit: q.limit,
          },
        );
        const last = rows.at(-1);
        return {
          data: rows.map(entryView),
          next_before_seq: rows.length === q.limit && last ? Number(last.seq) : null,
        };
      },
    );

    app.get(
      '/v1/audit/chain',
      {
        config: { auth: 'staff', roles: ['owner', 'admin'] },
        schema: {
          tags: ['back office'],
          summary: 'Whether the audit log’s hash chain is intact, and up to which entry it was verified',
          response: { 200: ChainStatus },
        },
      },
      async () => {
        const result = await audit.verify();
        if (result.ok) {
          return {
            status: 'intact' as const,
            checked: result.checked,
            verified_to_seq: result.head.seq,
            broken_at_seq: null,
            reason: null,
          };
        }
        return {
          status: 'broken' as const,
          checked: result.checked,
          verified_to_seq: result.brokenSeq - 1,
          broken_at_seq: result.brokenSeq,
          reason: result.reason,
        };
      },
    );
  };
}
