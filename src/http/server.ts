import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppServices } from '../app-services.js';
import type { Config } from '../config.js';
import { isDatabaseUnavailable } from '../db/database.js';
import { newId } from '../lib/random.js';
import { accountRoutes } from '../modules/account/account.routes.js';
import { announcementRoutes } from '../modules/announcements/announcements.routes.js';
import { applyRoutes } from '../modules/applications/applications.routes.js';
import { reviewRoutes } from '../modules/applications/review.routes.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { authorizationRoutes } from '../modules/authorization/authorization.routes.js';
import { bankRoutes } from '../modules/banks/banks.routes.js';
import { invitationRoutes } from '../modules/invitations/invitations.routes.js';
import { mfaRoutes } from '../modules/mfa/mfa.routes.js';
import { passkeyReauthCheck, passkeyRoutes } from '../modules/mfa/passkey.routes.js';
import { devOutboxRoutes } from '../modules/notify/dev-outbox.routes.js';
import { outboxRoutes } from '../modules/notify/outbox.routes.js';
import { provisioningRoutes } from '../modules/provisioning/provisioning.routes.js';
import { staffAdminRoutes } from '../modules/provisioning/staff-admin.routes.js';
import { qrLoginRoutes } from '../modules/qr-login/qr-login.routes.js';
import { recipientRoutes } from '../modules/recipients/recipients.routes.js';
import { keyRecoveryRoutes } from '../modules/refund-keys/key-recovery.routes.js';
import { refundKeyRoutes } from '../modules/refund-keys/refund-keys.routes.js';
import { refundRoutes } from '../modules/refunds/refunds.routes.js';
import { reportsRoutes } from '../modules/reports/reports.routes.js';
import { salesRoutes } from '../modules/sales/sales.routes.js';
import { todaySalesRoutes } from '../modules/sales/sales-today.routes.js';
import { settlementRoutes } from '../modules/settlements/settlements.routes.js';
import { supportRoutes } from '../modules/support/support.routes.js';
import { supportResetRoutes } from '../modules/support/support-resets.routes.js';
import { terminalRoutes } from '../modules/terminals/terminals.routes.js';
import { ticketRoutes } from '../modules/tickets/tickets.routes.js';
import { webhookRoutes } from '../modules/webhooks/webhooks.routes.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { registerIdempotency } from './idempotency.js';
import { refuseNulCharacters } from './no-nul.js';
import { openApiOptions } from './openapi.js';
import { registerOperatorPermissions } from './operator-permissions.js';
import { registerStaffAuth } from './staff-auth.js';
import { registerTerminalAuth } from './terminal-auth.js';
import { registerWebApps } from './web.js';

/** The HTTP server: plugins, the error envelope, auth, and every module's routes. */
export async function buildServer(services: AppServices): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: services.log as FastifyBaseLogger,
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: () => newId('req'),
    requestIdHeader: false,
    bodyLimit: 64 * 1024,
    ajv: { customOptions: { coerceTypes: false } },
    // Router-level refusals (a malformed or over-long URL) go through the same envelope as every other error.
    frameworkErrors: (error, request, reply) => errorHandler(error, request, reply),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  acceptEmptyJsonBodies(app);
  refuseNulCharacters(app);

  // One log line per request, with its id; no bodies, no headers, no query strings (they may carry secrets).
  app.addHook('onRequest', async (request, reply) => {
    reply.header('request-id', request.id);
    // While draining, clients are told not to reuse the connection, so none is cut off when the server closes.
    if (draining.has(app)) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    request.log.info(
      {
        method: request.method,
        path: request.url.split('?')[0],
        status: reply.statusCode,
        ms: Math.round(reply.elapsedTime * 10) / 10,
        terminal_id: request.terminal?.id,
      },
      'request',
    );
  });

  await app.register(swagger, openApiOptions());
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
  // 200 while the database answers, 503 while it is away (a load balancer takes the instance out, then back).
  app.get('/healthz', { config: { auth: 'public' }, schema: { hide: true } }, async (_request, reply) => {
    const database = services.database.dialect;
    if (draining.has(app)) return reply.code(503).send({ status: 'draining', database });
    try {
      await services.database.db.selectFrom('settings').select('name').limit(1).execute();
    } catch (error) {
      if (!isDatabaseUnavailable(error)) throw error;
      return reply.code(503).send({ status: 'unavailable', database });
    }
    return { status: 'ok', database };
  });

  await app.register(cookie);
  registerTerminalAuth(app, services.terminals);
  registerStaffAuth(app, services.auth, (userId) => services.mfa.hasActiveFactor(userId));
  registerOperatorPermissions(app, services.staff);
  registerIdempotency(app, services.idempotency);
  await app.register(authRoutes({ ...services, passkeyReauth: passkeyReauthCheck(services) }));
  await app.register(mfaRoutes(services));
  await app.register(passkeyRoutes(services));
  await app.register(qrLoginRoutes(services));
  await app.register(accountRoutes(services));
  await app.register(invitationRoutes(services));
  await app.register(provisioningRoutes(services));
  await app.register(staffAdminRoutes(services));
  await app.register(reportsRoutes(services));
  await app.register(refundKeyRoutes(services));
  await app.register(keyRecoveryRoutes(services));
  await app.register(supportRoutes(services));
  await app.register(supportResetRoutes(services));
  await app.register(bankRoutes(services));
  await app.register(announcementRoutes(services));
  await app.register(ticketRoutes(services));
  await app.register(recipientRoutes(services));
  await app.register(applyRoutes(services));
  await app.register(reviewRoutes(services));
  await app.register(auditRoutes(services));
  await app.register(terminalRoutes(services.terminals));
  await app.register(salesRoutes({ ...services, refundsOfSale: (saleId) => services.refunds.refundsOfSale(saleId) }));
  await app.register(todaySalesRoutes({ db: services.database.db, clock: services.clock }));
  await app.register(refundRoutes(services));
  await app.register(
    authorizationRoutes({
      policies: services.refundPolicies,
      lockouts: services.refundLockouts,
      approvals: services.approvals,
      terminals: services.terminals,
    }),
  );
  // Development only, and only on loopback: one-time codes are readable here.
  if (devRoutesEnabled(services.config)) await app.register(devOutboxRoutes(services.outbox, services.messages));
  else if (services.config.env !== 'production') {
    services.log.warn({ host: services.config.host }, DEV_ROUTES_OFF(services.config.host));
  }
  await app.register(outboxRoutes(services));
  await app.register(webhookRoutes(services));
  await app.register(settlementRoutes(services));
  await registerWebApps(app);
  return app;
}

const draining = new WeakSet<FastifyInstance>();

/**
 * Start a graceful stop: /healthz answers 503 (a load balancer stops sending) and every answer says `connection: close`,
 * while requests are still served; the caller closes the server after a grace period.
 */
export function startDraining(app: FastifyInstance): void {
  draining.add(app);
}

/**
 * The /dev routes show one-time codes, so they exist only outside production AND when the server listens on a loopback
 * address: a development server bound to 0.0.0.0 would hand every code to the whole network.
 */
export function devRoutesEnabled({ env, host }: Pick<Config, 'env' | 'host'>): boolean {
  return env !== 'production' && isLoopback(host);
}

export const DEV_ROUTES_OFF = (host: string) =>
  `/dev routes (one-time codes) are off: HOST=${host} is not a loopback address; use HOST=127.0.0.1 to have them`;

/** 127.0.0.0/8, ::1 and localhost; 0.0.0.0 and :: listen on every interface, so they are not loopback. */
export function isLoopback(host: string): boolean {
  const bare = host.replace(/^\[|\]$/g, '').toLowerCase();
  return (
    bare === 'localhost' ||
    bare === '::1' ||
    /^127(\.\d{1,3}){3}$/.test(bare) ||
    /^::ffff:127(\.\d{1,3}){3}$/.test(bare)
  );
}

/** POST routes without a body (cancel, settle) are called with or without `{}`. */
function acceptEmptyJsonBodies(app: FastifyInstance): void {
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const text = typeof body === 'string' ? body : body.toString('utf8');
    if (text.trim() === '') return done(null, undefined);
    void parseJson(request, text, done);
  });
}
