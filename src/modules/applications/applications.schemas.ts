import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import { maskEmail, maskPhone } from '../authorization/index.js';
import { findRatePlan, RatePlanSchema } from '../merchants/index.js';
import type { ApplicationRow } from './applications.table.js';

/** A mainland mobile number, 11 digits. */
export const Phone = z.string().regex(/^1[3-9]\d{9}$/, 'an 11-digit mainland mobile number');

/** The details an applicant fills in; the same when amending. */
export const DetailsBody = {
  business_name: z.string().trim().min(2).max(100),
  credit_code: z.string().min(18).max(24),
  legal_rep: z.string().trim().min(2).max(50),
  email: z.email().max(254).nullish(),
  address: z.string().trim().min(5).max(200),
  bank_name: z.string().trim().min(2).max(100),
  bank_account: z.string().regex(/^[0-9 ]{12,32}$/, '12-30 digits'),
  terminal_count: z.int().min(1).max(50),
  rate_plan_id: z.string().min(1).max(64),
};

export const NamedRatePlanView = z.object({ id: z.string(), name: z.string(), fees: RatePlanSchema });

export const ApplicationView = z.object({
  id: z.string(),
  object: z.literal('application'),
  status: z.enum(['submitted', 'needs_info', 'approved', 'rejected']),
  business_name: z.string(),
  credit_code: z.string(),
  legal_rep: z.string(),
  phone: z.string(),
  email: z.string().nullable(),
  address: z.string(),
  bank_name: z.string(),
  bank_account: z.string().describe('masked: only the last 4 digits'),
  terminal_count: z.int(),
  rate_plan: NamedRatePlanView,
  note: z.string().nullable().describe('the reason of a rejection, or what the reviewer asked for'),
  merchant_id: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  decided_at: z.string().nullable(),
});
export type ApplicationViewT = z.infer<typeof ApplicationView>;

/** The public form of an application; `reviewer` shows the phone and e-mail in full (the admin calls the applicant). */
export function applicationView(row: ApplicationRow, { reviewer = false } = {}): ApplicationViewT {
  const plan = findRatePlan(row.rate_plan_id);
  if (!plan) throw new Error(`application ${row.id} names an unknown rate plan`);
  return {
    id: row.id,
    object: 'application',
    status: row.status,
    business_name: row.business_name,
    credit_code: row.credit_code,
    legal_rep: row.legal_rep,
    phone: reviewer ? row.phone : maskPhone(row.phone),
    email: row.email && (reviewer ? row.email : maskEmail(row.email)),
    address: row.address,
    bank_name: row.bank_name,
    bank_account: `**** **** ${row.bank_account_last4}`,
    terminal_count: Number(row.terminal_count),
    rate_plan: { id: plan.id, name: plan.name, fees: plan.fees },
    note: row.note,
    merchant_id: row.merchant_id,
    created_at: toIso(Number(row.created_at)),
    updated_at: toIso(Number(row.updated_at)),
    decided_at: row.decided_at === null ? null : toIso(Number(row.decided_at)),
  };
}
