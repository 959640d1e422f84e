// Security notices: a person is told on their phone and e-mail, in their language, when a credential of theirs changes.
import type { Executor } from '../../db/schema.js';
import { toIso } from '../../lib/clock.js';
import type { StaffUser } from '../staff/index.js';
import type { MfaContext } from './mfa-context.js';

/** What a changed credential is called in the notice to the person (account-texts.ts). */
export type AccountChange =
  | 'factor_added'
  | 'factor_removed'
  | 'backup_codes_regenerated'
  | 'phone_changed'
  | 'email_changed'
  | 'password_changed'
  | 'password_reset';

/**
 * Tell a person that a credential of theirs changed, on the channels given (the old phone or e-mail when those are what
 * changed), in the person's language, inside the caller's transaction.
 */
export async function notifyChange(
  ctx: MfaContext,
  trx: Executor,
  user: StaffUser,
  change: AccountChange,
  channels: { phone?: string | null; email?: string | null } = { phone: user.phone, email: user.email },
): Promise<void> {
  const params = { name: user.name, login: user.login, change, at: toIso(ctx.clock.now()) };
  const recipients = [
    ['sms', channels.phone],
    ['email', channels.email],
  ] as const;
  for (const [channel, recipient] of recipients) {
    if (!recipient) continue;
    await ctx.deps.outbox.enqueue(trx, {
      merchantId: user.merchantId,
      channel,
      recipient,
      template: 'security_notice',
      locale: user.locale,
      params,
    });
  }
}
