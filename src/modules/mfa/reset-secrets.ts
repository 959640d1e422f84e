// Password-reset secrets of a known person: a 6-digit code by SMS or a 256-bit token by e-mail, single use, sent
// through the outbox; the account module decides when one is issued and what using it does.
import type { Executor } from '../../db/schema.js';
import { MINUTE, toIso } from '../../lib/clock.js';
import { newSecret, randomDigits } from '../../lib/random.js';
import type { StaffUser } from '../staff/index.js';
import { findAccountCode, storeAccountCode } from './account-codes.js';
import * as repo from './mfa.repository.js';
import type { AccountCodePurpose } from './mfa.table.js';
import type { MfaContext } from './mfa-context.js';

/** Password reset: a code by SMS lives 10 minutes, a link by e-mail 24 hours (docs/security.md "Sessions and MFA"). */
export const RESET_SMS_TTL = 10 * MINUTE;
export const RESET_EMAIL_TTL = 24 * 60 * MINUTE;

/**
 * A reset secret for a known person, inside the caller's transaction: earlier reset secrets stop working. Answers when
 * it expires (also when the person has no phone or e-mail to send it to, so the answer says nothing about that).
 */
export async function issueResetSecret(
  ctx: MfaContext,
  trx: Executor,
  user: StaffUser,
  channel: 'sms' | 'email',
): Promise<number> {
  const now = ctx.clock.now();
  const purpose: AccountCodePurpose = channel === 'sms' ? 'reset_sms' : 'reset_email';
  const secret = channel === 'sms' ? randomDigits(6, ctx.random) : newSecret('rst', ctx.random);
  const expiresAt = now + (channel === 'sms' ? RESET_SMS_TTL : RESET_EMAIL_TTL);
  const recipient = channel === 'sms' ? user.phone : user.email;
  if (!recipient) return expiresAt;
  const code = { userId: user.id, purpose, boundTo: user.id, secret, expiresAt };
  await storeAccountCode(ctx, trx, code, ['reset_sms', 'reset_email'], now);
  await ctx.deps.outbox.enqueue(trx, {
    merchantId: user.merchantId,
    channel,
    recipient,
    template: 'password_reset',
    locale: user.locale,
    params: { name: user.name, login: user.login, expires_at: toIso(expiresAt) },
    secretParams: channel === 'sms' ? { code: secret } : { token: secret },
    giveUpAt: expiresAt,
  });
  return expiresAt;
}

/** The live reset secret of this person that `secret` is, without using it up (undefined: none). */
export async function findResetSecret(ctx: MfaContext, userId: string, secret: string): Promise<string | undefined> {
  const now = ctx.clock.now();
  for (const purpose of ['reset_sms', 'reset_email'] as const) {
    const id = await findAccountCode(ctx, purpose, userId, secret, now);
    if (id) return id;
  }
  return undefined;
}

/** Use a reset secret found by findResetSecret once: true for exactly one of many parallel callers. */
export function consumeResetSecret(ctx: MfaContext, trx: Executor, id: string): Promise<boolean> {
  return repo.useAccountCode(trx, id, ctx.clock.now());
}

/** After a reset: every other reset secret and pending sign-in SMS code of the person stops working. */
export async function voidAccountSecrets(ctx: MfaContext, trx: Executor, userId: string): Promise<void> {
  await repo.voidAccountCodes(trx, userId, ['reset_sms', 'reset_email', 'login_sms'], ctx.clock.now());
}
