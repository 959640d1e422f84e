import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { staffOf } from '../access/index.js';
import { relyingPartyOf } from '../mfa/index.js';
import type { StaffRole } from '../staff/index.js';
import { SupportErrors } from './support.errors.js';
import type { SupportService } from './support.service.js';
import type { SupportCase } from './support-case-list.js';
import type { SupportResetsService } from './support-resets.service.js';

/** The owner's "Reset account" page in the console; the approval's message links to it with the code. */
const RESET_PAGE = '/console/account-reset';
const AGENT: { auth: 'staff'; roles: StaffRole[] } = { auth: 'staff', roles: ['support_agent'] };
const CaseView = z.object({
  id: z.string(),
  object: z.literal('support_case'),
  merchant_id: z.string(),
  merchant_name: z.string(),
  kind: z.enum(['locked_out_owner', 'lost_phone', 'forgotten_key', 'lost_second_factor']),
  status: z.enum(['open', 'checks_recorded', 'approved', 'expired']),
  opened_by: z.string().nullable(),
  approved_by: z.string().nullable(),
  bank_id: z.string().nullable(),
  bank_verification: z
    .object({ branch: z.string(), officer: z.string(), document_type: z.string(), last4: z.string() })
    .nullable(),
  created_at: z.string(),
  expires_at: z.string(),
  reset_sent: z.boolean(),
  checks: z.array(
    z.object({
      kind: z.enum(['id_document', 'business_licence', 'callback']),
      document_type: z.string().nullable(),
      last4: z.string().nullable(),
      outcome: z.string(),
      recorded_by: z.string(),
      recorded_at: z.string(),
    }),
  ),
});
// A value is at most 64 characters on the wire so that a full number reaches the service and is refused there with
// SUPPORT_FULL_NUMBER_REFUSED (never stored, never echoed).
const Last4 = z.string().min(1).max(64);
const CheckBody = z.discriminatedUnion('kind', [
  z.strictObject({
    kind: z.literal('id_document'),
    document_type: z.enum(['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'other']),
    last4: Last4,
    outcome: z.enum(['passed', 'failed']),
  }),
  z.strictObject({ kind: z.literal('business_licence'), last4: Last4, outcome: z.enum(['passed', 'failed']) }),
  z.strictObject({ kind: z.literal('callback'), outcome: z.enum(['reached', 'not_reached']) }),
]);

function view(c: SupportCase): z.infer<typeof CaseView> {
  const r = c.row;
  return {
    id: r.id,
    object: 'support_case',
    merchant_id: r.merchant_id,
    merchant_name: c.merchantName,
    kind: r.kind,
    status: c.expired ? 'expired' : r.status,
    opened_by: r.opened_by,
    approved_by: r.approved_by,
    bank_id: r.bank_id,
    bank_verification:
      r.bank_id && r.bank_branch && r.bank_officer && r.bank_document_type && r.bank_last4
        ? { branch: r.bank_branch, officer: r.bank_officer, document_type: r.bank_document_type, last4: r.bank_last4 }
        : null,
    created_at: toIso(r.created_at),
    expires_at: toIso(r.expires_at),
    reset_sent: r.reset_token_hash !== null,
    checks: c.checks.map((k) => ({
      kind: k.kind,
      document_type: k.document_type,
      last4: k.last4,
      outcome: k.outcome,
      recorded_by: k.recorded_by,
      recorded_at: toIso(k.recorded_at),
    })),
  };
}

/** The support desk (客服): support agents only; no route here reads, takes or sets a secret. */
export function supportRoutes(services: {
  config: Config;
  support: SupportService;
  supportResets: SupportResetsService;
}): FastifyPluginAsyncZod {
  const { support, supportResets } = services;
  return async (app) => {
    app.get(
      '/v1/support/merchants',
      {
        config: AGENT,
        schema: {
          tags: ['support'],
          summary: 'Find a merchant by name or id',
          querystring: z.object({ q: z.string().min(2).max(100) }),
          response: {
            200: z.object({ data: z.array(z.object({ id: z.string(), name: z.string(), status: z.string() })) }),
          },
        },
      },
      async (request) => ({ data: await support.findMerchants(staffOf(request), request.query.q) }),
    );

    app.post(
      '/v1/support/cases',
      {
        config: AGENT,
        schema: {
          tags: ['support'],
          summary: "Open a case for a merchant's owner",
          body: z.strictObject({
            merchant_id: z.string().min(1).max(64),
            kind: z.enum(['locked_out_owner', 'lost_phone', 'forgotten_key', 'lost_second_factor']),
          }),
          response: { 201: CaseView },
        },
      },
      async (request, reply) =>
        reply.code(201).send(view(await support.open(staffOf(request), request.body.merchant_id, request.body.kind))),
    );

    app.get(
      '/v1/support/cases',
      {
        config: AGENT,
        schema: {
          tags: ['support'],
          summary: 'Cases, newest first; status=checks_recorded lists those waiting for a second agent to approve',
          querystring: z.strictObject({
            status: z.enum(['open', 'checks_recorded', 'approved', 'expired']).optional(),
            limit: z.coerce.number().int().min(1).max(100).default(20),
            starting_after: z.string().min(1).max(64).optional().describe('the last `id` of the previous page'),
          }),
          response: {
            200: z.object({ object: z.literal('list'), data: z.array(CaseView), has_more: z.boolean() }),
          },
        },
      },
      async (request) => {
        const { status, limit, starting_after: startingAfter } = request.query;
        const page = await support.list({ status, limit, startingAfter });
        return { object: 'list' as const, data: page.cases.map(view), has_more: page.hasMore };
      },
    );

    app.get(
      '/v1/support/cases/:id',
      {
        config: AGENT,
        schema: {
          tags: ['support'],
          summary: 'A case with its checks',
          params: z.object({ id: z.string().min(1).max(64) }),
          response: { 200: CaseView },
        },
      },
      async (request) => view(await support.get(request.params.id)),
    );

    app.post(
      '/v1/support/cases/:id/checks',
      {
        config: AGENT,
        schema: {
          tags: ['support'],
          summary: 'Record an identity check (document type + last 4 only, business licence last 4, call-back)',
          params: z.object({ id: z.string().min(1).max(64) }),
          body: CheckBody,
          response: { 200: CaseView },
        },
      },
      async (request) => {
        const b = request.body;
        const check =
          b.kind === 'id_document'
            ? { kind: b.kind, documentType: b.document_type, last4: b.last4, outcome: b.outcome }
            : b.kind === 'business_licence'
              ? { kind: b.kind, last4: b.last4, outcome: b.outcome }
              : { kind: b.kind, outcome: b.outcome };
        return view(await support.recordCheck(staffOf(request), request.params.id, check));
      },
    );

    app.post(
      '/v1/support/cases/:id/approve',
      {
        config: AGENT,
        schema: {
          tags: ['support'],
          summary: 'Approve a case (a second agent, not the opener); the owner gets a reset link',
          params: z.object({ id: z.string().min(1).max(64) }),
          body: z.strictObject({}).optional(),
          response: { 200: CaseView },
        },
      },
      async (request) => {
        // The console's origin as passkeys see it: WEBAUTHN_ORIGIN when set, else the address the agent used.
        const { origin } = relyingPartyOf(services.config, request);
        return view(await support.approve(staffOf(request), request.params.id, `${origin}${RESET_PAGE}`));
      },
    );

    app.post(
      '/v1/support/cases/:id/phone-change/cancel',
      {
        config: AGENT,
        schema: {
          tags: ['support'],
          summary: 'Stop an announced phone change before it takes effect (the owner called from the old phone)',
          params: z.object({ id: z.string().min(1).max(64) }),
          body: z.strictObject({}).optional(),
          response: { 200: CaseView },
        },
      },
      async (request) => {
        const agent = staffOf(request);
        await support.count(agent);
        await support.get(request.params.id);
        if (!(await supportResets.cancelPhoneChange(agent, request.params.id))) {
          throw AppError.from(SupportErrors, 'SUPPORT_NO_PHONE_CHANGE');
        }
        return view(await support.get(request.params.id));
      },
    );
  };
}
