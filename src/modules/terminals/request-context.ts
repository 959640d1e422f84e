import type { FastifyRequest } from 'fastify';
import { AppError } from '../../lib/errors.js';
import { TerminalErrors } from './terminals.errors.js';
import type { OperatorContext, TerminalContext } from './terminals.service.js';

/**
 * Who may call a route: nobody in particular, a terminal (bearer key), an operator signed in on a terminal,
 * or a back-office user with a session cookie (`staff`, narrowed by `config.roles` and `config.reauth`).
 */
export type RouteAuth = 'public' | 'terminal' | 'operator' | 'staff';

declare module 'fastify' {
  interface FastifyContextConfig {
    auth?: RouteAuth;
  }
  interface FastifyRequest {
    terminal?: TerminalContext;
    operator?: OperatorContext;
  }
}

/** The authenticated terminal of a request on a `terminal` or `operator` route. */
export function terminalOf(request: FastifyRequest): TerminalContext {
  if (!request.terminal) throw AppError.from(TerminalErrors, 'TERMINAL_KEY_INVALID');
  return request.terminal;
}

/** The signed-in operator of a request on an `operator` route. */
export function operatorOf(request: FastifyRequest): OperatorContext {
  if (!request.operator) throw AppError.from(TerminalErrors, 'OPERATOR_SESSION_REQUIRED');
  return request.operator;
}
