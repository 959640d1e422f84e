import type { FastifyInstance, FastifyRequest } from 'fastify';
import { AppError } from '../lib/errors.js';
import { TerminalErrors } from '../modules/terminals/terminals.errors.js';
import type { TerminalsService } from '../modules/terminals/terminals.service.js';

/** Enforce each route's declared `config.auth`: terminal bearer key, and for `operator` routes an operator session. */
export function registerTerminalAuth(app: FastifyInstance, terminals: TerminalsService): void {
  app.addHook('preValidation', async (request: FastifyRequest) => {
    const auth = request.routeOptions.config.auth;
    if (auth !== 'terminal' && auth !== 'operator') return;
    const key = bearer(request.headers.authorization);
    if (auth === 'terminal') {
      request.terminal = await terminals.authenticate(key);
      return;
    }
    const session = request.headers['x-operator-session'];
    const { terminal, operator } = await terminals.authenticateWithSession(
      key,
      typeof session === 'string' ? session : undefined,
    );
    request.terminal = terminal; // logged with the answer, a refused session included
    if (!operator) throw AppError.from(TerminalErrors, 'OPERATOR_SESSION_REQUIRED');
    request.operator = operator;
  });
}

function bearer(header: string | undefined): string | undefined {
  const match = header ? /^Bearer\s+(\S+)$/i.exec(header) : null;
  return match?.[1];
}
