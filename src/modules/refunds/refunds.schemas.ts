import { z } from 'zod';
import { Amount } from '../sales/sales.schemas.js';

export const CreateRefundBody = z.strictObject({
  sale_id: z.string().min(1).max(64),
  amount: Amount,
  reason: z.string().trim().min(1).max(200),
  type: z.enum(['refund', 'void']).default('refund'),
  /** Where the money goes: the original tender (default), or cash where the store's policy allows it. */
  refund_to: z.enum(['original', 'cash']).optional(),
});
export type CreateRefundBody = z.infer<typeof CreateRefundBody>;

export const AuthorizeRefundBody = z.strictObject({
  refund_key: z.string().min(1).max(128).optional(),
  code: z
    .string()
    .regex(/^\d{4,10}$/, '验证码为数字 / code is digits')
    .optional(),
});
export type AuthorizeRefundBody = z.infer<typeof AuthorizeRefundBody>;

const Factor = z.enum(['refund_key', 'one_time_code', 'approval']);

export const RefundSchema = z.object({
  id: z.string(),
  object: z.literal('refund'),
  sale_id: z.string(),
  type: z.enum(['refund', 'void']),
  amount: z.number(),
  currency: z.literal('CNY'),
  reason: z.string(),
  status: z.enum([
    'requires_authorization',
    'pending_approval',
    'processing',
    'succeeded',
    'canceled',
    'expired',
    'failed',
  ]),
  authorization: z.object({
    required: z.array(Factor),
    satisfied: z.array(Factor),
    code_sent_to: z.array(z.string()),
    code_expires_at: z.string().nullable(),
    attempts_left: z.number().nullable(),
  }),
  terminal_id: z.string(),
  batch_id: z.string().nullable(),
  created_at: z.string(),
  expires_at: z.string(),
  completed_at: z.string().nullable(),
  failure_code: z.string().optional(),
});
export type Refund = z.infer<typeof RefundSchema>;
