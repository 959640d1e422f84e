import { z } from 'zod';

export const Factor = z.enum(['refund_key', 'one_time_code', 'approval']);

/** The public Refund of docs/api.md. */
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
