import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance, LogController } from 'fastify';
import { jsonSchemaTransform, serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import type { AppServices } from '../app-services.js';
import { newId } from '../lib/random.js';
import { refundRoutes } from '../modules/refunds/refunds.routes.js';
import { salesRoutes } from '../modules/sales/sales.routes.js';
import { settlementRoutes } from '../modules/settlements/settlements.routes.js';
import { terminalRoutes } from '../modules/terminals/terminals.routes.js';
import { errorHandler, notFoundHandler } from './errors.js';
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
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler);
  app.setNotFoundHandler(notFoundHandler);
  acceptEmptyJsonBodies(app);

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
      info: { title: 'refundkey API', version: '0.1.0', description: '终端、退款与后台接口 / Terminal, refund and back-office API' },
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

  registerTerminalAuth(app, services.terminals);
  await app.register(terminalRoutes(services.terminals));
  await app.register(salesRoutes(services));
  await app.register(refundRoutes(services));
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
    parseJson(request, text, done);
  });
}
