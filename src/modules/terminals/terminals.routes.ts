import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { fieldMessage } from '../../lib/i18n.js';
import { operatorOf, terminalOf } from './request-context.js';
import type { TerminalsService } from './terminals.service.js';

const ActivateBody = z
  .strictObject({ activation_code: z.string().min(1).max(64).describe('from `refundkey demo` or the back office') })
  .meta({ examples: [{ activation_code: 'paste-the-activation-code' }] });
const OperatorSessionBody = z
  .strictObject({
    operator_no: z
      .string()
      .regex(/^(0[1-9]|[1-9]\d)$/, fieldMessage({ zh: '操作员号 01-99', en: 'operator_no is 01-99' })),
    password: z.string().min(1).max(128),
  })
  .meta({ examples: [{ operator_no: '01', password: 'the-operator-password' }] });

/** Terminal activation and operator sign-in (签到). */
export function terminalRoutes(terminals: TerminalsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/v1/terminals/activate',
      {
        config: { auth: 'public' },
        schema: {
          tags: ['terminal'],
          summary: 'Exchange a single-use activation code for a terminal key (shown once)',
          body: ActivateBody,
          response: { 201: z.object({ terminal_id: z.string(), terminal_key: z.string() }) },
        },
      },
      async (request, reply) => {
        const { terminalId, terminalKey } = await terminals.activate(request.body.activation_code);
        return reply.code(201).send({ terminal_id: terminalId, terminal_key: terminalKey });
      },
    );

    app.post(
      '/v1/operator-sessions',
      {
        config: { auth: 'terminal' },
        schema: {
          tags: ['terminal'],
          summary: 'Sign an operator in on this terminal; send the token as X-Operator-Session',
          body: OperatorSessionBody,
          response: { 201: z.object({ operator_session: z.string(), operator_no: z.string() }) },
        },
      },
      async (request, reply) => {
        const token = await terminals.openOperatorSession(
          terminalOf(request),
          request.body.operator_no,
          request.body.password,
        );
        return reply.code(201).send({ operator_session: token, operator_no: request.body.operator_no });
      },
    );

    app.post(
      '/v1/operator-sessions/sign-out',
      {
        config: { auth: 'operator' },
        schema: {
          tags: ['terminal'],
          summary: 'Sign the operator out (签退): this X-Operator-Session is refused from now on',
        },
      },
      async (request, reply) => {
        await terminals.closeOperatorSession(
          terminalOf(request),
          operatorOf(request),
          String(request.headers['x-operator-session']),
        );
        return reply.code(204).send();
      },
    );
  };
}
