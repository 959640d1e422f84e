import { z } from 'zod';
import { fieldMessage } from '../../lib/i18n.js';

export const IdParams = z.object({ id: z.string().max(64) });

const Phone = z
  .string()
  .regex(/^\+?\d{6,20}$/, fieldMessage({ zh: '手机号为 6-20 位数字', en: 'phone is 6-20 digits' }));
const Login = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/^[^\s]+$/, fieldMessage({ zh: '登录名不能含空格', en: 'login has no spaces' }));

/** A person to invite: a phone or an e-mail address (or both) is where the invitation goes. */
export const PersonBody = z.strictObject({
  login: Login,
  name: z.string().trim().min(1).max(100),
  phone: Phone.nullish(),
  email: z.email().max(254).nullish(),
  locale: z.enum(['zh-CN', 'en']).optional(),
});

export const CreateMerchantBody = z.strictObject({
  name: z.string().trim().min(1).max(100),
  owner: PersonBody.refine((p) => Boolean(p.phone || p.email), {
    message: fieldMessage({
      zh: '店主需要手机号或电子邮箱以接收邀请',
      en: 'the owner needs a phone or an e-mail for the invitation',
    }),
    path: ['phone'],
  }),
  rate_plan_id: z.string().min(1).max(64).optional(),
});

export const CreateStaffBody = PersonBody.extend({
  role: z.enum(['owner', 'manager', 'cashier']),
  store_ids: z.array(z.string().max(64)).max(200).nullish(),
}).refine((p) => Boolean(p.phone || p.email), {
  message: fieldMessage({
    zh: '员工需要手机号或电子邮箱以接收邀请',
    en: 'a phone or an e-mail is needed for the invitation',
  }),
  path: ['phone'],
});

export const PermissionsBody = z.strictObject({
  may_refund: z.boolean().default(true),
  may_void: z.boolean().default(true),
  may_settle: z.boolean().default(true),
  refund_cap: z.int().min(0).max(100_000_000_000).nullable().default(null),
});

export const CreateOperatorBody = z.strictObject({
  store_id: z.string().max(64),
  staff_id: z.string().max(64),
  operator_no: z
    .string()
    .regex(/^(0[1-9]|[1-9]\d)$/, fieldMessage({ zh: '操作员号 01-99', en: 'operator_no is 01-99' })),
  name: z.string().trim().min(1).max(100).optional(),
  permissions: PermissionsBody.optional(),
});

const Fee = z.object({ bps: z.number(), cap: z.number().nullable() });
export const RatePlanView = z.object({ bank_card: Fee, qr: Fee, order: Fee, cash: Fee });

export const MerchantView = z.object({
  id: z.string(),
  object: z.literal('merchant'),
  name: z.string(),
  status: z.string(),
  rate_plan_id: z.string(),
  rate_plan: RatePlanView,
  owner: z.object({
    id: z.string(),
    login: z.string(),
    name: z.string(),
    status: z.string(),
    invitation_sent_to: z.array(z.string()),
  }),
});

export const StoreView = z.object({
  id: z.string(),
  object: z.literal('store'),
  merchant_id: z.string(),
  name: z.string(),
});

export const TerminalView = z.object({
  id: z.string(),
  object: z.literal('terminal'),
  store_id: z.string(),
  name: z.string(),
  status: z.string(),
  activation_code: z.string().optional(),
  activation_expires_at: z.string().optional(),
});

export const TerminalListItem = TerminalView.omit({ activation_code: true, activation_expires_at: true }).extend({
  created_at: z.string(),
  activated_at: z.string().nullable(),
  activation_expires_at: z.string().nullable(),
});

export const MerchantRatePlanView = z.object({
  merchant_id: z.string(),
  rate_plan_id: z.string(),
  name: z.string(),
  rate_plan: RatePlanView,
});

export const StaffView = z.object({
  id: z.string(),
  object: z.literal('staff'),
  login: z.string(),
  name: z.string(),
  role: z.enum(['owner', 'manager', 'cashier', 'admin', 'support_agent']),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  store_ids: z.array(z.string()).nullable(),
  status: z.enum(['invited', 'active', 'disabled']),
});

export const OperatorView = z.object({
  id: z.string(),
  object: z.literal('operator'),
  store_id: z.string(),
  staff_id: z.string().nullable(),
  operator_no: z.string(),
  name: z.string(),
  status: z.enum(['active', 'disabled']),
  permissions: z.object({
    may_refund: z.boolean(),
    may_void: z.boolean(),
    may_settle: z.boolean(),
    refund_cap: z.number().nullable(),
  }),
});
