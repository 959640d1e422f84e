import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import {
  type AttemptLimiter,
  type AttemptSubject,
  type AttemptTicket,
  SECOND_FACTOR_PER_USER,
} from '../attempts/index.js';
import { type AuditService, staffActor, staffEvent } from '../audit/index.js';
import type { StaffUser } from '../staff/index.js';
import { MfaErrors } from './mfa.errors.js';

/**
 * Every second-factor check of a person (TOTP, SMS or backup code, passkey) goes through here: the attempt is claimed
 * against SECOND_FACTOR_PER_USER before anything is verified, so a burst gets no more verifications than the limit; a
 * wrong answer stays counted (and may lock), a right one is given back. Shared by the code factors and by passkeys.
 */
export class SecondFactorAttempts {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly attempts: AttemptLimiter,
    private readonly audit: AuditService,
  ) {}

  /** Claim, run the check, settle; throws 423 SECOND_FACTOR_LOCKED (unchecked) or 401 `failure` when it is wrong. */
  async checked(
    user: StaffUser,
    ip: string,
    event: string,
    check: () => Promise<boolean>,
    failure: 'SECOND_FACTOR_FAILED' | 'PASSKEY_FAILED' = 'SECOND_FACTOR_FAILED',
  ): Promise<void> {
    const subject: AttemptSubject = { rule: SECOND_FACTOR_PER_USER, subject: user.id, merchantId: user.merchantId };
    const claim = await this.attempts.claim([subject]);
    if (!claim.ok) {
      await this.auditAttempt(undefined, user, ip, event, 'failure', { reason: 'locked' });
      throw AppError.from(MfaErrors, 'SECOND_FACTOR_LOCKED', {
        retry_after_s: claim.retryAfterS ?? (SECOND_FACTOR_PER_USER.lockMs ?? 0) / 1000,
      });
    }
    let ok = false;
    try {
      ok = await check();
    } finally {
      await this.settle(claim.ticket, ok, user, ip, event);
    }
    if (!ok) throw AppError.from(MfaErrors, failure);
  }

  private async settle(ticket: AttemptTicket, ok: boolean, user: StaffUser, ip: string, event: string): Promise<void> {
    if (ok) {
      await this.attempts.succeeded(ticket);
      return;
    }
    await this.db.transaction().execute(async (trx) => {
      const locked = await this.attempts.failed(ticket, trx);
      await this.auditAttempt(trx, user, ip, event, 'failure', {
        reason: 'wrong_code',
        attempt: ticket.claims[0]?.ordinal ?? null,
      });
      if (locked.length > 0) {
        await this.auditAttempt(trx, user, ip, 'auth.lockout', 'info', {
          scope: 'second_factor',
          until: toIso(this.clock.now() + (SECOND_FACTOR_PER_USER.lockMs ?? 0)),
        });
      }
    });
  }

  private auditAttempt(
    trx: Executor | undefined,
    user: StaffUser,
    ip: string,
    event: string,
    outcome: 'failure' | 'info',
    detail: Record<string, unknown>,
  ): Promise<void> {
    return this.audit.record(
      trx,
      staffEvent(staffActor(user, ip), event, { outcome, object: { type: 'user', id: user.id }, detail }),
    );
  }
}
