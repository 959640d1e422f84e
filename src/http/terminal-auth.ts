import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { TerminalsService } from '../modules/terminals/terminals.service.js';

/** Enforce each route's declared `config.auth`: terminal bearer key, and for `operator` routes an operator session. */
export function registerTerminalAuth(app: FastifyInstance, terminals: TerminalsService): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const auth = request.routeOptions.config.auth;
    if (auth !== 'terminal' && auth !== 'operator') return;
    request.terminal = await terminals.authenticate(bearer(request.headers.authorization));
    if (auth === 'operator') {
      const session = request.headers['x-operator-session'];
      request.operator = await terminals.resolveOperatorSession(request.terminal, typeof session === 'string' ? session : undefined);
    }
  });
}

function bearer(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}
