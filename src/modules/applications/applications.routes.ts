import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../config.js';
import { pickLanguage } from '../../lib/i18n.js';
import { RATE_PLANS } from '../merchants/index.js';
import { relyingPartyOf } from '../mfa/index.js';
import { ApplicationView, applicationView, DetailsBody, NamedRatePlanView, Phone } from './applications.schemas.js';
import type { ApplicationsService } from './applications.service.js';
import type { PhoneVerification } from './phone-verification.js';

const PUBLIC = { auth: 'public' } as const;
const TAGS = ['applications'];
const StatusToken = z.string().min(1).max(256);
/** The applicant's status page; the token follows after # (never sent to a server in a request line). */
const STATUS_PAGE = '/console/apply/status';

export interface ApplyRouteDeps {
  config: Config;
  applications: ApplicationsService;
  phoneVerification: PhoneVerification;
}

/** The public side of 在线申请: rate plans, the bot challenge, phone codes, submit, status and amend by the link. */
export function applyRoutes(deps: ApplyRouteDeps): FastifyPluginAsyncZod {
  const { applications, phoneVerification } = deps;
  return async (app) => {
    app.get(
      '/v1/apply/rate-plans',
      {
        config: PUBLIC,
        schema: {
          tags: TAGS,
          summary: 'The published rate plans with their fees, to choose from',
          response: { 200: z.object({ data: z.array(NamedRatePlanView) }) },
        },
      },
      async () => ({ data: RATE_PLANS.map((p) => ({ id: p.id, name: p.name, fees: p.fees })) }),
    );

    app.get(
      '/v1/apply/challenge',
      {
        config: PUBLIC,
        schema: {
          tags: TAGS,
          summary:
            'A signed challenge: find `solution` with SHA-256(challenge + ":" + solution) starting with `bits` zero bits',
          response: { 200: z.object({ challenge: z.string(), bits: z.int(), min_fill_s: z.number() }) },
        },
      },
      async () => applications.challenge(),
    );

    app.post(
      '/v1/apply/phone-codes',
      {
        config: PUBLIC,
        schema: {
          tags: TAGS,
          summary: "Send a 6-digit code to the applicant's phone (5 per phone and 20 per IP per hour)",
          body: z.strictObject({ phone: Phone }),
          response: { 202: z.object({ sent_to: z.string(), expires_at: z.string() }) },
        },
      },
      async (request, reply) =>
        reply
          .code(202)
          .send(
            await phoneVerification.sendCode(
              request.body.phone,
              request.ip,
              pickLanguage(request.headers['accept-language']),
            ),
          ),
    );

    app.post(
      '/v1/apply/phone-codes/verify',
      {
        config: PUBLIC,
        schema: {
          tags: TAGS,
          summary: 'Check the code; answers a phone token for one application (30 minutes)',
          body: z.strictObject({ phone: Phone, code: z.string().regex(/^\d{6}$/) }),
          response: { 200: z.object({ phone_token: z.string(), expires_at: z.string() }) },
        },
      },
      async (request) => phoneVerification.verify(request.body.phone, request.body.code),
    );

    app.post(
      '/v1/apply/applications',
      {
        config: PUBLIC,
        schema: {
          tags: TAGS,
          summary:
            'Apply for terminals; answers the status token (shown once) for the status link, also sent by SMS to the verified phone',
          body: z.strictObject({
            ...DetailsBody,
            phone: Phone,
            phone_token: z.string().min(1).max(256),
            challenge: z.string().min(1).max(512),
            solution: z.string().min(1).max(64),
            website: z.string().max(256).default('').describe('leave empty (a field hidden from people)'),
          }),
          response: {
            201: z.object({
              id: z.string(),
              status: z.literal('submitted'),
              status_token: z.string(),
              status_url: z.string(),
            }),
          },
        },
      },
      async (request, reply) => {
        // The console's origin as passkeys see it: WEBAUTHN_ORIGIN when set, else the address the applicant used.
        const { origin } = relyingPartyOf(deps.config, request);
        const { row, statusToken } = await applications.submit(request.body, request.ip, {
          statusPage: `${origin}${STATUS_PAGE}`,
          locale: pickLanguage(request.headers['accept-language']),
        });
        return reply.code(201).send({
          id: row.id,
          status: 'submitted' as const,
          status_token: statusToken,
          status_url: `${STATUS_PAGE}#${statusToken}`,
        });
      },
    );

    app.get(
      '/v1/apply/status',
      {
        config: PUBLIC,
        schema: {
          tags: TAGS,
          summary: 'The application behind a status token (phone and e-mail masked, the bank account masked)',
          querystring: z.strictObject({ token: StatusToken }),
          response: { 200: ApplicationView },
        },
      },
      async (request) => applicationView(await applications.byStatusToken(request.query.token)),
    );

    app.post(
      '/v1/apply/status/amend',
      {
        config: PUBLIC,
        schema: {
          tags: TAGS,
          summary: 'Change the details when the reviewer asked for more information; back to the queue',
          body: z.strictObject({ ...DetailsBody, token: StatusToken }),
          response: { 200: ApplicationView },
        },
      },
      async (request) => {
        const { token, ...details } = request.body;
        return applicationView(await applications.amend(token, details, request.ip));
      },
    );
  };
}
