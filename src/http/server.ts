import cookie from '@fastify/cookie';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { AppServices } from '../app-services.js';
import { newId } from '../lib/random.js';
import { auditRoutes } from '../modules/audit/audit.routes.js';
import { authRoutes } from '../modules/auth/auth.routes.js';
import { authorizationRoutes } from '../modules/authorization/authorization.routes.js';
import { devOutboxRoutes } from '../modules/notify/dev-outbox.routes.js';
import { outboxRoutes } from '../modules/notify/outbox.routes.js';
import { refundKeyRoutes } from '../modules/refund-keys/refund-keys.routes.js';
import { refundRoutes } from '../modules/refunds/refunds.routes.js';
import { salesRoutes } from '../modules/sales/sales.routes.js';
import { settlementRoutes } from '../modules/settlements/settlements.routes.js';
import { terminalRoutes } from '../modules/terminals/terminals.routes.js';
import { webhookRoutes } from '../modules/webhooks/webhooks.routes.js';
import { errorHandler, notFoundHandler } from './errors.js';
import { refuseNulCharacters } from './no-nul.js';
import { registerStaffAuth } from './staff-auth.js';
import { registerTerminalAuth } from './terminal-auth.js';

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

  await app.register(swagger, {
    openapi: {
      info: {
        title: 'refundkey API',
        version: '0.1.0',
        description: '终端、退款与后台接口 / Terminal, refund and back-office API',
      },
      components: { securitySchemes: { terminalKey: { type: 'http', scheme: 'bearer' } } },
    },
    transform: jsonSchemaTransform,
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { config: { auth: 'public' }, schema: { hide: true } }, async () => app.swagger());
  app.get('/healthz', { config: { auth: 'public' }, schema: { hide: true } }, async () => {
    await services.database.db.selectFrom('settings').select('name').limit(1).execute();
    return { status: 'ok', database: services.database.dialect };
  });

  await app.register(cookie);
  registerTerminalAuth(app, services.terminals);
  registerStaffAuth(app, services.auth);
  await app.register(authRoutes(services));
  await app.register(refundKeyRoutes(services));
  await app.register(auditRoutes(services));
  await app.register(terminalRoutes(services.terminals));
  await app.register(salesRoutes(services));
  await app.register(refundRoutes(services));
  await app.register(
    authorizationRoutes({
      policies: services.refundPolicies,
      lockouts: services.refundLockouts,
      approvals: services.approvals,
    }),
  );
  // Development only: one-time codes are readable here, so production never registers the route.
  if (services.config.env !== 'production') await app.register(devOutboxRoutes(services.outbox));
  await app.register(outboxRoutes(services));
  await app.register(webhookRoutes(services));
  await app.register(settlementRoutes(services.settlements));
  return app;
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
