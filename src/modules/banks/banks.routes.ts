import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import { staffOf } from '../access/index.js';
import type { StaffRole } from '../staff/index.js';
import type { BanksService, SignedBank } from './banks.service.js';

const ADMIN: { auth: 'staff'; roles: StaffRole[] } = { auth: 'staff', roles: ['admin'] };
const CASE_KINDS = ['locked_out_owner', 'lost_phone', 'forgotten_key', 'lost_second_factor'] as const;

/**
 * Partner banks: admins register a bank (its credential is answered once) and name a merchant's settlement bank; a bank
 * asks for a reset with a signed request (auth: the signature, checked in the handler over the raw body).
 */
export function bankRoutes(services: { banks: BanksService }): FastifyPluginAsyncZod {
  const { banks } = services;
  return async (app) => {
    // The signature covers the body's bytes as sent, so this scope keeps them beside the parsed JSON.
    const raw = new WeakMap<object, string>();
    const parseJson = app.getDefaultJsonParser('error', 'error');
    app.removeContentTypeParser('application/json');
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
      const text = typeof body === 'string' ? body : body.toString('utf8');
      raw.set(request, text);
      if (text.trim() === '') return done(null, undefined);
      void parseJson(request, text, done);
    });

    app.post(
      '/v1/banks',
      {
        config: ADMIN,
        schema: {
          tags: ['banks'],
          summary: 'Register a partner bank and issue its API credential (the secret is shown once)',
          body: z.strictObject({ name: z.string().trim().min(1).max(100) }),
          response: {
            201: z.object({
              id: z.string(),
              object: z.literal('bank'),
              name: z.string(),
              key_id: z.string(),
              secret: z.string(),
              created_at: z.string(),
            }),
          },
        },
      },
      async (request, reply) => {
        const admin = staffOf(request);
        const issued = await banks.register(
          { actor: { type: 'user', id: admin.userId }, origin: admin.ip },
          request.body.name,
        );
        return reply.code(201).send({
          id: issued.bank.id,
          object: 'bank' as const,
          name: issued.bank.name,
          key_id: issued.keyId,
          secret: issued.secret,
          created_at: toIso(issued.bank.created_at),
        });
      },
    );

    app.post(
      '/v1/merchants/:id/settlement-bank',
      {
        config: ADMIN,
        schema: {
          tags: ['banks'],
          summary: "Name the bank a merchant settles to (the only bank that may ask for the merchant's resets)",
          params: z.object({ id: z.string().min(1).max(64) }),
          body: z.strictObject({ bank_id: z.string().min(1).max(64) }),
          response: { 200: z.object({ merchant_id: z.string(), bank_id: z.string() }) },
        },
      },
      async (request) => {
        const admin = staffOf(request);
        await banks.setSettlementBank(
          { actor: { type: 'user', id: admin.userId }, origin: admin.ip },
          request.params.id,
          request.body.bank_id,
        );
        return { merchant_id: request.params.id, bank_id: request.body.bank_id };
      },
    );

    app.post(
      '/v1/bank/reset-requests',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['banks'],
          summary:
            'A partner bank asks for a reset for a merchant settling to it (HMAC-signed; becomes a support case)',
          body: z.strictObject({
            merchant_id: z.string().min(1).max(64),
            kind: z.enum(CASE_KINDS),
            verification: z.strictObject({
              branch: z.string().trim().min(1).max(100),
              officer: z.string().trim().min(1).max(100),
              document_type: z.enum(['resident_id', 'passport', 'hk_macao_permit', 'taiwan_permit', 'other']),
              last4: z.string().min(1).max(64),
            }),
          }),
          response: {
            201: z.object({ case_id: z.string(), object: z.literal('support_case'), status: z.string() }),
          },
        },
        // The signature is checked before the body is validated, so a bad signature is never a 400.
        preValidation: async (request) => {
          const signed = await banks.authenticate({
            ip: request.ip,
            method: request.method,
            path: request.url,
            headers: request.headers,
            body: raw.get(request) ?? '',
          });
          bankOf.set(request, signed);
        },
      },
      async (request, reply) => {
        const signed = bankOf.get(request);
        if (!signed) throw new Error('bank request without its signature check');
        const b = request.body;
        const opened = await banks.requestReset(signed, {
          merchantId: b.merchant_id,
          kind: b.kind,
          verification: {
            branch: b.verification.branch,
            officer: b.verification.officer,
            documentType: b.verification.document_type,
            last4: b.verification.last4,
          },
        });
        return reply
          .code(201)
          .send({ case_id: opened.row.id, object: 'support_case' as const, status: opened.row.status });
      },
    );
  };
}

const bankOf = new WeakMap<object, SignedBank>();
