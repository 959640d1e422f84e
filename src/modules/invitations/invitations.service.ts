import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, HOUR, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import { type Hmac, hashSecret } from '../../lib/hashing.js';
import { cryptoRandom, newId, newSecret, type RandomSource } from '../../lib/random.js';
import { checkLoginPassword } from '../../lib/secret-strength.js';
import type { AuditService } from '../audit/index.js';
import { AuthErrors, type AuthService, type IssuedSession } from '../auth/index.js';
import { maskDestination } from '../authorization/index.js';
import { destinationsOf, type OutboxService } from '../notify/index.js';
import type { StaffService, StaffUser } from '../staff/index.js';
import { InvitationErrors } from './invitations.errors.js';
import * as repo from './invitations.repository.js';

/** Thrown inside the accept transaction by a loser of a race, to roll it back. */
const LOST = new Error('invitation lost to a concurrent accept');

/** How long an invitation may be accepted. */
export const INVITATION_LIFETIME = 72 * HOUR;

/** Who invites: a back-office user, or the platform itself (the CLI). */
export interface Inviter {
  userId: string | null;
  ip: string;
}

/**
 * Invitations (邀请): a new person receives a single-use token by SMS and e-mail and sets their own password with it, so
 * nobody ever sets or sees another person's password. The token is 256 random bits, stored only as an HMAC: it cannot
 * be guessed, so there is no attempt counter on it (docs/security.md "Invitations and operator passwords"); it is used once, atomically.
 */
export class InvitationsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly staff: StaffService,
    private readonly auth: AuthService,
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  /**
   * Invite a user who has no password yet, inside the caller's transaction: earlier open invitations stop working, the
   * token goes to the person's phone and e-mail through the outbox, and the invitation is audited.
   */
  async invite(trx: Executor, user: StaffUser, merchantName: string, by: Inviter): Promise<{ sentTo: string[] }> {
    const destinations = destinationsOf([user]);
    if (destinations.length === 0) throw AppError.from(InvitationErrors, 'INVITATION_NO_DESTINATION');
    const now = this.clock.now();
    const token = newSecret('inv', this.random);
    const expiresAt = now + INVITATION_LIFETIME;
    const sentTo = destinations.map(maskDestination);
    await repo.revokeOpen(trx, user.id, now);
    const id = newId('inv', this.random);
    await repo.insertInvitation(trx, {
      id,
      token_hash: this.hmac.digest('invitation', token),
      user_id: user.id,
      merchant_id: user.merchantId,
      invited_by: by.userId,
      sent_to: JSON.stringify(sentTo),
      expires_at: expiresAt,
      used_at: null,
      revoked_at: null,
      created_at: now,
    });
    for (const to of destinations) {
      await this.outbox.enqueue(trx, {
        merchantId: user.merchantId,
        channel: to.channel,
        recipient: to.recipient,
        template: 'staff_invitation',
        locale: to.locale,
        params: { merchant: merchantName, name: user.name, login: user.login, expires_at: toIso(expiresAt) },
        secretParams: { token },
        giveUpAt: expiresAt,
      });
    }
    await this.audit.record(trx, {
      merchantId: user.merchantId,
      actor: by.userId ? { type: 'user', id: by.userId } : { type: 'system' },
      event: 'invitation.sent',
      outcome: 'success',
      origin: by.ip,
      object: { type: 'user', id: user.id },
      detail: { invitation_id: id, role: user.role, sent_to: sentTo, expires_at: toIso(expiresAt) },
    });
    return { sentTo };
  }

  /** Revoke a user's open invitations (the person was disabled). */
  async revokeFor(trx: Executor, userId: string): Promise<void> {
    await repo.revokeOpen(trx, userId, this.clock.now());
  }

  /**
   * Accept an invitation: the person sets their own password (strength rules apply) and is then signed in exactly as
   * by `POST /v1/auth/login`, so every rule of login (and the second factor, once it exists) applies here too.
   */
  async accept(token: string, password: string, ip: string): Promise<IssuedSession> {
    const now = this.clock.now();
    const invitation = await repo.findByTokenHash(this.db, this.hmac.digest('invitation', token));
    const user = invitation && (await this.staff.getUser(invitation.user_id));
    const open =
      invitation &&
      invitation.used_at === null &&
      invitation.revoked_at === null &&
      invitation.expires_at > now &&
      user?.status === 'invited';
    if (!open || !user) {
      await this.refused(ip, invitation?.id ?? null, user ?? null);
      throw AppError.from(InvitationErrors, 'INVITATION_INVALID');
    }
    const report = checkLoginPassword(password, [user.login, user.name, user.email ?? '', user.phone ?? '']);
    if (!report.acceptable) {
      throw AppError.from(AuthErrors, 'PASSWORD_TOO_WEAK', {
        param: 'password',
        reasons: report.reasons,
        suggestions: report.suggestions,
      });
    }
    const passwordHash = await hashSecret(password);
    const won = await this.db
      .transaction()
      .execute(async (trx) => {
        // Both conditional: of parallel accepts of one token (or of two tokens of one person) exactly one wins; a loser
        // throws so that nothing of its transaction stays (its consumed invitation included).
        if (!(await repo.consume(trx, invitation.id, this.clock.now()))) throw LOST;
        if (!(await this.staff.activateWithPassword(trx, user.id, passwordHash))) throw LOST;
        await this.audit.record(trx, {
          merchantId: user.merchantId,
          actor: { type: 'user', id: user.id },
          event: 'invitation.accepted',
          outcome: 'success',
          origin: ip,
          object: { type: 'user', id: user.id },
          detail: { invitation_id: invitation.id, role: user.role },
        });
        return true;
      })
      .catch((error: unknown) => {
        if (error === LOST) return false;
        throw error;
      });
    if (!won) {
      await this.refused(ip, invitation.id, user);
      throw AppError.from(InvitationErrors, 'INVITATION_INVALID');
    }
    return this.auth.login(user.login, password, ip);
  }

  private async refused(ip: string, invitationId: string | null, user: StaffUser | null): Promise<void> {
    await this.audit.record(undefined, {
      merchantId: user?.merchantId ?? null,
      actor: { type: 'anonymous' },
      event: 'invitation.accepted',
      outcome: 'failure',
      origin: ip,
      ...(user ? { object: { type: 'user', id: user.id } } : {}),
      detail: { invitation_id: invitationId, reason: 'invalid_used_or_expired' },
    });
  }
}
