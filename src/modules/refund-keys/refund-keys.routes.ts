import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import { localized, pickLanguage } from '../../lib/i18n.js';
import { staffOf } from '../access/index.js';
import type { RefundKeyState, RefundKeysService } from './refund-keys.service.js';

const Policy = z.enum(['password', 'pin']);
const Key = z.string().min(1).max(256);
const SetBody = z.strictObject({
  store_id: z.string().min(1).max(64).optional(),
  policy: Policy.optional(),
  new_key: Key,
  confirm_key: Key,
});
const ChangeBody = SetBody.extend({ old_key: Key });
const StrengthBody = z.strictObject({ policy: Policy.default('password'), key: Key });

const Reason = z.object({ code: z.string(), message: z.string() });
const KeyStateView = z.object({
  scope: z.enum(['merchant', 'store']),
  store_id: z.string().nullable(),
  set: z.boolean(),
  policy: Policy,
  set_at: z.string().nullable(),
  expires_at: z.string().nullable(),
  reminder_at: z.string().nullable().describe('When the owners are reminded to change the key: 7 days before expiry'),
  age_days: z.number().nullable().describe('Whole days since the key was set'),
  expired: z.boolean(),
});

function view(state: RefundKeyState): z.infer<typeof KeyStateView> {
  return {
    scope: state.scope,
    store_id: state.storeId,
    set: state.set,
    policy: state.policy,
    set_at: state.setAt === null ? null : toIso(state.setAt),
    expires_at: state.expiresAt === null ? null : toIso(state.expiresAt),
    reminder_at: state.reminderAt === null ? null : toIso(state.reminderAt),
    age_days: state.ageDays,
    expired: state.expired,
  };
}

/** Refund key (退款密钥) management in the back office: owners and managers, sensitive writes after re-authentication. */
export function refundKeyRoutes(services: { refundKeys: RefundKeysService }): FastifyPluginAsyncZod {
  const { refundKeys } = services;
  return async (app) => {
    app.get(
      '/v1/refund-key',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['back office'],
          summary: 'The merchant-wide refund key and store overrides: policy, age, expiry',
          response: { 200: z.object({ data: z.array(KeyStateView) }) },
        },
      },
      async (request) => ({ data: (await refundKeys.overview(staffOf(request))).map(view) }),
    );

    // A POST, not a GET: the candidate key must never travel in a URL (proxies and browsers keep URLs).
    app.post(
      '/v1/refund-key/strength',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'] },
        schema: {
          tags: ['back office'],
          summary: 'Strength feedback for a candidate refund key, with reasons (nothing is stored)',
          body: StrengthBody,
          response: {
            200: z.object({
              score: z.number(),
              acceptable: z.boolean(),
              reasons: z.array(Reason),
              suggestions: z.array(Reason),
            }),
          },
        },
      },
      async (request) =>
        localized(
          await refundKeys.strength(staffOf(request), request.body.policy, request.body.key),
          pickLanguage(request.headers['accept-language']),
        ),
    );

    app.post(
      '/v1/refund-key',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Set a new refund key (new + confirmation) for the merchant or one store',
          body: SetBody,
          response: { 200: KeyStateView },
        },
      },
      async (request) => {
        const b = request.body;
        return view(
          await refundKeys.setKey(staffOf(request), {
            storeId: b.store_id,
            policy: b.policy,
            newKey: b.new_key,
            confirmKey: b.confirm_key,
          }),
        );
      },
    );

    app.post(
      '/v1/refund-key/change',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: 'Change the refund key with the current one (old + new + confirmation)',
          body: ChangeBody,
          response: { 200: KeyStateView },
        },
      },
      async (request) => {
        const b = request.body;
        return view(
          await refundKeys.changeKey(staffOf(request), {
            storeId: b.store_id,
            policy: b.policy,
            oldKey: b.old_key,
            newKey: b.new_key,
            confirmKey: b.confirm_key,
          }),
        );
      },
    );

    app.post(
      '/v1/refund-key/remove-override',
      {
        config: { auth: 'staff', roles: ['owner', 'manager'], reauth: true },
        schema: {
          tags: ['back office'],
          summary: "Remove a store's own refund key; the store then uses the merchant-wide key",
          body: z.strictObject({ store_id: z.string().min(1).max(64) }),
          response: { 200: KeyStateView },
        },
      },
      async (request) => view(await refundKeys.removeStoreOverride(staffOf(request), request.body.store_id)),
    );
  };
}
