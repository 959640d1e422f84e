import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { staffOf } from '../auth/index.js';
import type { OperatorsService } from './operators.service.js';
import {
  CreateOperatorBody,
  CreateStaffBody,
  IdParams,
  OperatorView,
  PermissionsBody,
  StaffView,
} from './provisioning.schemas.js';
import type { StaffAdminService } from './staff-admin.service.js';

const Invited = { invitation_sent_to: z.array(z.string()) };

/** Staff (invited, disabled, enabled) and operator numbers with their permissions (员工与操作员). */
export function staffAdminRoutes(deps: {
  staffAdmin: StaffAdminService;
  operators: OperatorsService;
}): FastifyPluginAsyncZod {
  const { staffAdmin, operators } = deps;
  return async (app) => {
    app.post(
      '/v1/staff',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['provisioning'],
          summary: 'Add a staff member (owner: any role; manager: cashiers of their stores); they are invited',
          body: CreateStaffBody,
          response: { 201: StaffView.extend(Invited) },
        },
      },
      async (request, reply) => {
        const { store_ids, ...person } = request.body;
        return reply.code(201).send(await staffAdmin.createStaff(staffOf(request), { ...person, storeIds: store_ids }));
      },
    );

    app.get(
      '/v1/staff',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['provisioning'],
          summary: 'The staff you manage',
          response: { 200: z.object({ data: z.array(StaffView) }) },
        },
      },
      async (request) => ({ data: await staffAdmin.listStaff(staffOf(request)) }),
    );

    for (const action of ['disable', 'enable'] as const) {
      app.post(
        `/v1/staff/:id/${action}`,
        {
          config: { auth: 'staff', roles: ['owner', 'manager'], reauth: true },
          schema: {
            tags: ['provisioning'],
            summary:
              action === 'disable'
                ? 'Disable a staff member: sessions end, operator numbers stop working (re-authenticated)'
                : 'Enable a disabled staff member and their operator numbers (re-authenticated)',
            params: IdParams,
            response: { 200: StaffView },
          },
        },
        async (request) => staffAdmin[action](staffOf(request), request.params.id),
      );
    }

    app.post(
      '/v1/staff/:id/invitation',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['provisioning'],
          summary: 'Invite again someone who has not accepted yet (the earlier invitation stops working)',
          params: IdParams,
          response: { 200: z.object({ id: z.string(), ...Invited }) },
        },
      },
      async (request) => staffAdmin.reinvite(staffOf(request), request.params.id),
    );

    app.post(
      '/v1/operators',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['provisioning'],
          summary: 'Give a staff member an operator number in a store; the initial password goes to their phone',
          body: CreateOperatorBody,
          response: { 201: OperatorView.extend({ password_sent_to: z.string() }) },
        },
      },
      async (request, reply) => {
        const { store_id, staff_id, operator_no, name, permissions } = request.body;
        const operator = await operators.createOperator(staffOf(request), {
          storeId: store_id,
          staffId: staff_id,
          operatorNo: operator_no,
          name,
          permissions: permissions && {
            mayRefund: permissions.may_refund,
            mayVoid: permissions.may_void,
            maySettle: permissions.may_settle,
            refundCap: permissions.refund_cap,
          },
        });
        return reply.code(201).send(operator);
      },
    );

    app.get(
      '/v1/operators',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['provisioning'],
          summary: 'The operator numbers of your stores (or of one store), with their permissions',
          querystring: z.strictObject({ store_id: z.string().max(64).optional() }),
          response: { 200: z.object({ data: z.array(OperatorView) }) },
        },
      },
      async (request) => ({ data: await operators.listOperators(staffOf(request), request.query.store_id) }),
    );

    app.post(
      '/v1/operators/:id/permissions',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['provisioning'],
          summary: 'Set what an operator may do at the terminal: refund, void, settle, and a refund cap (fen)',
          params: IdParams,
          body: PermissionsBody,
          response: { 200: OperatorView },
        },
      },
      async (request) =>
        operators.setPermissions(staffOf(request), request.params.id, {
          mayRefund: request.body.may_refund,
          mayVoid: request.body.may_void,
          maySettle: request.body.may_settle,
          refundCap: request.body.refund_cap,
        }),
    );
  };
}
