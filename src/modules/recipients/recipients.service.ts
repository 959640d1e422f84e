import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, MINUTE, toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { newId, type RandomSource, randomDigits } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import { type AuditService, staffEvent } from '../audit/index.js';
import type { Destination, OutboxService } from '../notify/index.js';
import { RecipientErrors } from './recipients.errors.js';
import * as repo from './recipients.repository.js';
import type { NotificationRecipientRow } from './recipients.table.js';

/** A code lives 10 minutes (NIST 800-63B out-of-band ≤ 10 min); 5 wrong guesses burn it; at most 3 codes. */
export const RECIPIENT_CODE_TTL = 10 * MINUTE;
export const RECIPIENT_CODE_ATTEMPTS = 5;
export const RECIPIENT_CODES = 3;
/** A merchant has at most this many recipients (each new one costs an SMS or e-mail). */
export const MAX_RECIPIENTS = 20;

/** A recipient as the owner sees it: never its code. */
export interface Recipient {
  object: 'notification_recipient';
  id: string;
  channel: 'sms' | 'email';
  address: string;
  label: string;
  status: 'pending' | 'verified';
  created_at: string;
  verified_at: string | null;
  code_expires_at: string | null;
}

export interface RecipientsDeps {
  audit: AuditService;
  outbox: OutboxService;
}

const view = (r: NotificationRecipientRow): Recipient => ({
  object: 'notification_recipient',
  id: r.id,
  channel: r.channel,
  address: r.address,
  label: r.label,
  status: r.status,
  created_at: toIso(Number(r.created_at)),
  verified_at: r.verified_at === null ? null : toIso(Number(r.verified_at)),
  code_expires_at: r.code_expires_at === null ? null : toIso(Number(r.code_expires_at)),
});

/**
 * The merchant's notification recipients (通知接收人): phones and e-mail addresses, besides the owners' and managers'
 * own, that receive approval requests and lockout alerts. A new one gets a one-time code over its own channel and is
 * used only after the code came back. Owner only; every change audited.
 */
export class RecipientsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly deps: RecipientsDeps,
    private readonly random: RandomSource,
  ) {}

  /** The merchant's recipients, verified or waiting for their code. */
  async list(session: StaffSession): Promise<Recipient[]> {
    return (await repo.listOfMerchant(this.db, merchantOf(session))).map(view);
  }

  /** Add a recipient and send it its first code. */
  async add(
    session: StaffSession,
    input: { channel: 'sms' | 'email'; address: string; label: string; locale: string },
  ): Promise<Recipient> {
    const merchantId = merchantOf(session);
    const address = input.channel === 'email' ? input.address.trim().toLowerCase() : input.address.trim();
    const id = newId('nrc', this.random);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      if ((await repo.countOfMerchant(trx, merchantId)) >= MAX_RECIPIENTS) {
        throw AppError.from(RecipientErrors, 'RECIPIENT_LIMIT');
      }
      const taken = (await repo.listOfMerchant(trx, merchantId)).some(
        (r) => r.channel === input.channel && r.address === address,
      );
      if (taken) throw AppError.from(RecipientErrors, 'RECIPIENT_EXISTS', { param: 'address' });
      await repo.insert(trx, {
        id,
        merchant_id: merchantId,
        channel: input.channel,
        address,
        label: input.label.trim(),
        locale: input.locale,
        status: 'pending',
        code_hash: null,
        code_expires_at: null,
        code_attempts: 0,
        codes_sent: 0,
        created_by: session.userId,
        created_at: now,
        verified_at: null,
      });
      await this.sendCode(trx, { id, merchant_id: merchantId, channel: input.channel, address, locale: input.locale });
      await this.record(trx, session, 'notification_recipient.added', id, { channel: input.channel });
    });
    return view(await this.own(merchantId, id));
  }

  /** A new code for a recipient still waiting (the old one stops working; wrong guesses still count). */
  async resend(session: StaffSession, id: string): Promise<Recipient> {
    const merchantId = merchantOf(session);
    const row = await this.own(merchantId, id);
    if (row.status === 'verified') throw AppError.from(RecipientErrors, 'RECIPIENT_ALREADY_VERIFIED');
    await this.db.transaction().execute(async (trx) => {
      await this.sendCode(trx, row);
      await this.record(trx, session, 'notification_recipient.code_resent', id, { channel: row.channel });
    });
    return view(await this.own(merchantId, id));
  }

  /** The code the recipient received: right, the recipient is verified and used from now on. */
  async confirm(session: StaffSession, id: string, code: string): Promise<Recipient> {
    const merchantId = merchantOf(session);
    const row = await this.own(merchantId, id);
    if (row.status === 'verified') throw AppError.from(RecipientErrors, 'RECIPIENT_ALREADY_VERIFIED');
    const now = this.clock.now();
    // The guess is counted before the code is checked (docs/security.md "When counted").
    if (!(await repo.claimGuess(this.db, id, now, RECIPIENT_CODE_ATTEMPTS))) {
      // Read again: parallel guesses may have used up the attempts since `row` was read.
      const burned = Number((await this.own(merchantId, id)).code_attempts) >= RECIPIENT_CODE_ATTEMPTS;
      throw AppError.from(RecipientErrors, burned ? 'RECIPIENT_CODE_BURNED' : 'RECIPIENT_CODE_INVALID', {
        param: 'code',
      });
    }
    const right =
      row.code_hash !== null && this.hmac.matches(row.code_hash, 'recipient-code', id, code.replace(/\s/g, ''));
    const won =
      right &&
      (await this.db.transaction().execute(async (trx) => {
        if (!(await repo.markVerified(trx, id, now))) return false;
        await this.record(trx, session, 'notification_recipient.verified', id, { channel: row.channel });
        return true;
      }));
    if (!won) {
      const fresh = await this.own(merchantId, id);
      const left = Math.max(0, RECIPIENT_CODE_ATTEMPTS - Number(fresh.code_attempts));
      await this.record(
        undefined,
        session,
        'notification_recipient.code_refused',
        id,
        { attempts_left: left },
        'failure',
      );
      throw AppError.from(RecipientErrors, left === 0 ? 'RECIPIENT_CODE_BURNED' : 'RECIPIENT_CODE_INVALID', {
        param: 'code',
        attempts_left: left,
      });
    }
    return view(await this.own(merchantId, id));
  }

  /** Stop sending to a recipient. */
  async remove(session: StaffSession, id: string): Promise<void> {
    const merchantId = merchantOf(session);
    const row = await this.own(merchantId, id);
    await this.db.transaction().execute(async (trx) => {
      await repo.remove(trx, id);
      await this.record(trx, session, 'notification_recipient.removed', id, { channel: row.channel });
    });
  }

  /**
   * Where a merchant's approval request or lockout alert goes: its staff's own destinations and, after them, its
   * verified recipients (an address already reached is not sent to twice). Pending recipients never.
   */
  async withRecipients(merchantId: string, own: Destination[], executor: Executor = this.db): Promise<Destination[]> {
    const reached = new Set(own.map((d) => `${d.channel}:${d.recipient}`));
    const extra = (await repo.verifiedOfMerchant(executor, merchantId))
      .filter((r) => !reached.has(`${r.channel}:${r.address}`))
      .map((r) => ({ channel: r.channel, recipient: r.address, locale: r.locale, userId: r.created_by }));
    return [...own, ...extra];
  }

  private async own(merchantId: string, id: string): Promise<NotificationRecipientRow> {
    const row = await repo.findOfMerchant(this.db, merchantId, id);
    if (!row) throw AppError.from(RecipientErrors, 'RECIPIENT_NOT_FOUND');
    return row;
  }

  private async sendCode(
    trx: Parameters<OutboxService['enqueue']>[0],
    r: Pick<NotificationRecipientRow, 'id' | 'merchant_id' | 'channel' | 'address' | 'locale'>,
  ): Promise<void> {
    const code = randomDigits(6, this.random);
    const expiresAt = this.clock.now() + RECIPIENT_CODE_TTL;
    const stored = await repo.replaceCode(
      trx,
      r.id,
      { hash: this.hmac.digest('recipient-code', r.id, code), expiresAt },
      RECIPIENT_CODES,
    );
    if (!stored) throw AppError.from(RecipientErrors, 'RECIPIENT_CODE_LIMIT');
    await this.deps.outbox.enqueue(trx, {
      merchantId: r.merchant_id,
      channel: r.channel,
      recipient: r.address,
      template: 'recipient_verification',
      locale: r.locale,
      params: { expires_at: toIso(expiresAt) },
      secretParams: { code },
      giveUpAt: expiresAt,
    });
  }

  private record(
    trx: Parameters<AuditService['record']>[0],
    session: StaffSession,
    event: string,
    id: string,
    detail: Record<string, unknown>,
    outcome: 'success' | 'failure' = 'success',
  ): Promise<void> {
    const object = { type: 'notification_recipient', id };
    return this.deps.audit.record(trx, staffEvent(session, event, { outcome, object, detail }));
  }
}

function merchantOf(session: StaffSession): string {
  if (!session.merchantId) throw AppError.from(CommonErrors, 'FORBIDDEN');
  return session.merchantId;
}
