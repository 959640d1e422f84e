import type { FastifyInstance } from 'fastify';
import { assertOperatorMay, operatorActionOf } from '../modules/provisioning/operator-permissions.js';
import type { StaffService } from '../modules/staff/staff.service.js';

/**
 * Enforce the signed-in operator's permissions (may refund, may void, may settle, refund cap) on the terminal routes
 * that need them, after the body is validated and before the route does anything: a refusal changes nothing.
 */
export function registerOperatorPermissions(app: FastifyInstance, staff: StaffService): void {
  app.addHook('preHandler', async (request) => {
    if (request.routeOptions.config.auth !== 'operator' || !request.operator) return;
    const action = operatorActionOf(request.method, request.routeOptions.url ?? '', request.body);
    if (!action) return;
    // Read with the operator session in the same request (terminal-auth); otherwise read here.
    const permissions = request.operator.permissions ?? (await staff.getOperator(request.operator.id))?.permissions;
    if (permissions) assertOperatorMay(permissions, action);
  });
}
