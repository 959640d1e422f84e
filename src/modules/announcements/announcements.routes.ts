import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { staffOf } from '../access/index.js';
import { type AuthService, SESSION_COOKIE } from '../auth/index.js';
import { MfaErrors } from '../mfa/index.js';
import { SECOND_FACTOR_REQUIRED, type StaffRole, type StaffService } from '../staff/index.js';
import { operatorOf, type TerminalsService, terminalOf } from '../terminals/index.js';
import { AnnouncementErrors } from './announcements.errors.js';
import type { AnnouncementsService, AnnouncementView, Reader } from './announcements.service.js';

const MERCHANT_STAFF: { auth: 'staff'; roles: StaffRole[] } = { auth: 'staff', roles: ['owner', 'manager', 'cashier'] };
const ADMIN: { auth: 'staff'; roles: StaffRole[] } = { auth: 'staff', roles: ['admin'] };
const Id = z.object({ id: z.string().min(1).max(64) });
const Severity = z.enum(['info', 'warning', 'urgent']);
const Announcement = z.object({
  id: z.string(),
  object: z.literal('announcement'),
  title: z.string(),
  body: z.string(),
  severity: Severity,
  audience: z.object({ kind: z.enum(['all', 'merchant_type', 'region']), value: z.string().nullable() }),
  starts_at: z.string(),
  ends_at: z.string(),
  active: z.boolean(),
  acknowledged_at: z.string().nullable(),
});

/**
 * Announcements (公告): admins publish; `GET /v1/announcements` answers the console (session cookie) and terminals
 * (terminal key, `Authorization: Bearer`) alike, so it resolves either credential itself.
 */
export function announcementRoutes(services: {
  announcements: AnnouncementsService;
  auth: AuthService;
  terminals: TerminalsService;
  staff: StaffService;
  mfa: { hasActiveFactor: (userId: string) => Promise<boolean> };
}): FastifyPluginAsyncZod {
  const { announcements, auth, terminals } = services;
  const view = (v: AnnouncementView, at: number): z.infer<typeof Announcement> => ({
    id: v.row.id,
    object: 'announcement',
    title: v.row.title,
    body: v.row.body,
    severity: v.row.severity,
    audience: { kind: v.row.audience_kind, value: v.row.audience_value },
    starts_at: toIso(v.row.starts_at),
    ends_at: toIso(v.row.ends_at),
    active: v.row.starts_at <= at && at < v.row.ends_at,
    acknowledged_at: v.acknowledgedAt === null ? null : toIso(v.acknowledgedAt),
  });

  /**
   * The console's person (session cookie, looked at first) or the terminal (terminal key) behind the request; platform
   * people (admins, support agents) read every audience.
   */
  async function readerOf(request: FastifyRequest): Promise<Reader> {
    const cookie = request.cookies[SESSION_COOKIE];
    if (cookie === undefined && request.headers.authorization !== undefined) {
      const bearer = /^Bearer\s+(\S+)$/i.exec(request.headers.authorization)?.[1];
      const terminal = await terminals.authenticate(bearer);
      return { merchantId: terminal.merchantId, userId: null, via: 'terminal' };
    }
    const staff = await auth.authenticate({ token: cookie, csrfToken: undefined, checkCsrf: false, ip: request.ip });
    if (SECOND_FACTOR_REQUIRED.includes(staff.role) && !(await services.mfa.hasActiveFactor(staff.userId))) {
      throw AppError.from(MfaErrors, 'SECOND_FACTOR_ENROLMENT_REQUIRED');
    }
    return { merchantId: staff.merchantId, userId: staff.userId, via: 'console' };
  }

  return async (app) => {
    app.get(
      '/v1/announcements',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['announcements', 'terminal'],
          summary: 'Announcements for my merchant: console session or terminal key (Authorization: Bearer)',
          description:
            'Send the back-office session cookie, or a terminal key as `Authorization: Bearer`. Platform admins and support agents see every audience.',
          querystring: z.strictObject({ history: z.enum(['true', 'false']).optional() }),
          response: { 200: z.object({ object: z.literal('list'), data: z.array(Announcement) }) },
        },
      },
      async (request) => {
        const reader = await readerOf(request);
        const list = await announcements.listFor(reader, { history: request.query.history === 'true' });
        const at = announcements.now();
        return { object: 'list' as const, data: list.map((v) => view(v, at)) };
      },
    );

    app.post(
      '/v1/announcements/:id/acknowledge',
      {
        config: MERCHANT_STAFF,
        schema: {
          tags: ['announcements'],
          summary: 'Acknowledge an announcement (once per person; recorded with the merchant)',
          params: Id,
          body: z.strictObject({}).optional(),
          response: { 200: Announcement },
        },
      },
      async (request) => {
        const staff = staffOf(request);
        if (staff.merchantId === null) throw AppError.from(AnnouncementErrors, 'ANNOUNCEMENT_READER_INVALID');
        const reader = { merchantId: staff.merchantId, userId: staff.userId, via: 'console' as const };
        return view(await announcements.acknowledge(reader, request.params.id, staff.ip), announcements.now());
      },
    );

    app.post(
      '/v1/terminal/announcements/:id/acknowledge',
      {
        config: { auth: 'operator' },
        schema: {
          tags: ['announcements', 'terminal'],
          summary: 'Acknowledge on a terminal: recorded for the staff member behind the signed-in operator',
          params: Id,
          body: z.strictObject({}).optional(),
          response: { 200: Announcement },
        },
      },
      async (request) => {
        const terminal = terminalOf(request);
        const person = await services.staff.staffMemberOfOperator(operatorOf(request).id);
        if (!person) throw AppError.from(AnnouncementErrors, 'ANNOUNCEMENT_READER_INVALID');
        const reader = { merchantId: terminal.merchantId, userId: person, via: 'terminal' as const };
        return view(
          await announcements.acknowledge(reader, request.params.id, `terminal:${terminal.id}`),
          announcements.now(),
        );
      },
    );

    app.post(
      '/v1/admin/announcements',
      {
        config: ADMIN,
        schema: {
          tags: ['announcements'],
          summary: 'Publish an announcement (urgent ones also go to the owners by SMS and e-mail)',
          body: z.strictObject({
            title: z.string().trim().min(1).max(100),
            body: z.string().trim().min(1).max(2000),
            severity: Severity,
            audience: z.strictObject({
              kind: z.enum(['all', 'merchant_type', 'region']),
              value: z.string().trim().min(1).max(50).nullable().optional(),
            }),
            starts_at: z.string().datetime(),
            ends_at: z.string().datetime(),
          }),
          response: { 201: Announcement },
        },
      },
      async (request, reply) => {
        const b = request.body;
        const row = await announcements.publish(staffOf(request), {
          title: b.title,
          body: b.body,
          severity: b.severity,
          audience: { kind: b.audience.kind, value: b.audience.value ?? null },
          startsAt: Date.parse(b.starts_at),
          endsAt: Date.parse(b.ends_at),
        });
        return reply.code(201).send(view({ row, acknowledgedAt: null }, announcements.now()));
      },
    );

    app.get(
      '/v1/admin/announcements',
      {
        config: ADMIN,
        schema: {
          tags: ['announcements'],
          summary: 'Every announcement (history) with how many people and merchants acknowledged it',
          response: {
            200: z.object({
              object: z.literal('list'),
              data: z.array(
                Announcement.extend({ acknowledged_by: z.object({ people: z.number(), merchants: z.number() }) }),
              ),
            }),
          },
        },
      },
      async () => {
        const at = announcements.now();
        const rows = await announcements.adminList();
        return {
          object: 'list' as const,
          data: rows.map((r) => ({
            ...view({ row: r, acknowledgedAt: null }, at),
            acknowledged_by: { people: r.people, merchants: r.merchants },
          })),
        };
      },
    );

    app.post(
      '/v1/merchants/:id/audience',
      {
        config: ADMIN,
        schema: {
          tags: ['announcements'],
          summary: "A merchant's type and region, which announcements may address",
          params: Id,
          body: z.strictObject({
            merchant_type: z.string().trim().min(1).max(50).nullable(),
            region: z.string().trim().min(1).max(50).nullable(),
          }),
          response: {
            200: z.object({
              merchant_id: z.string(),
              merchant_type: z.string().nullable(),
              region: z.string().nullable(),
            }),
          },
        },
      },
      async (request) => {
        const b = request.body;
        await announcements.setAudience(staffOf(request), request.params.id, {
          merchantType: b.merchant_type,
          region: b.region,
        });
        return { merchant_id: request.params.id, merchant_type: b.merchant_type, region: b.region };
      },
    );
  };
}
