import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { type Clock, HOUR } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { newId, newSecret, type RandomSource } from '../../lib/random.js';
import type { Sealer } from '../../lib/sealer.js';
import type { AttemptLimiter, AttemptRule } from '../attempts/index.js';
import type { AuditService } from '../audit/index.js';
import { findRatePlan } from '../merchants/index.js';
import type { OutboxService } from '../notify/index.js';
import { ProvisioningErrors } from '../provisioning/index.js';
import { ApplicationErrors } from './applications.errors.js';
import * as repo from './applications.repository.js';
import type { ApplicationRow } from './applications.table.js';
import { BOT_CHECK, type BotCheckRules, type Challenge, checkSubmission, issueChallenge } from './bot-check.js';
import { isValidCreditCode, normalizeCreditCode } from './credit-code.js';

/** 10 applications per IP address per hour, counted before the bot check and everything after it. */
export const APPLICATIONS_PER_IP: AttemptRule = {
  name: 'apply_submit_ip',
  limit: 10,
  windowMs: HOUR,
  lockMs: HOUR,
  successClears: false,
};

/** What an applicant fills in (and may change when asked for more information), phone aside. */
export interface ApplicationDetails {
  business_name: string;
  credit_code: string;
  legal_rep: string;
  email?: string | null | undefined;
  address: string;
  bank_name: string;
  bank_account: string;
  terminal_count: number;
  rate_plan_id: string;
}

export interface Submission extends ApplicationDetails {
  phone: string;
  phone_token: string;
  challenge: string;
  solution: string;
  /** The honeypot: a field hidden from people, which bots fill in. */
  website: string;
}

export interface ApplicationsDeps {
  attempts: AttemptLimiter;
  audit: AuditService;
  outbox: OutboxService;
}

/** Where the applicant's status link is sent from: the status page's address (without the #token) and their language. */
export interface StatusLinkTarget {
  statusPage: string;
  locale: string;
}

/**
 * The applicant's side of 在线申请: submit (bot check, per-IP limit, verified phone), follow the status with an
 * unguessable link, and amend when the reviewer asks for more information.
 */
export class ApplicationsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly sealer: Sealer,
    private readonly deps: ApplicationsDeps,
    private readonly random: RandomSource,
    private readonly botCheck: BotCheckRules = BOT_CHECK,
  ) {}

  /** A fresh signed challenge for the bot check (bot-check.ts); stateless. */
  challenge(): Challenge {
    return issueChallenge(this.hmac, this.random, this.clock.now(), this.botCheck);
  }

  /**
   * Accept an application; answers it with the status token, shown once (the link the applicant keeps), and sends the
   * link by SMS to the verified phone, so that a closed tab does not lose the application.
   */
  async submit(
    input: Submission,
    ip: string,
    link: StatusLinkTarget,
  ): Promise<{ row: ApplicationRow; statusToken: string }> {
    const details = checkDetails(input);
    const claim = await this.deps.attempts.claim([{ rule: APPLICATIONS_PER_IP, subject: ip, merchantId: null }]);
    if (!claim.ok) {
      throw AppError.from(ApplicationErrors, 'APPLICATION_RATE_LIMITED', {
        retry_after_s: claim.retryAfterS ?? HOUR / 1000,
      });
    }
    await this.deps.attempts.failed(claim.ticket); // every submission stays counted
    const now = this.clock.now();
    const failure = checkSubmission(
      this.hmac,
      { challenge: input.challenge, solution: input.solution, honeypot: input.website },
      now,
      this.botCheck,
    );
    if (failure) throw await this.refused(ip, 'bot_check', failure, 'APPLICATION_BOT_CHECK_FAILED');
    const statusToken = newSecret('aps', this.random);
    const row: ApplicationRow = {
      id: newId('apl', this.random),
      status: 'submitted',
      ...this.stored(details),
      phone: input.phone,
      status_token_hash: this.hmac.digest('application-status', statusToken),
      challenge_hash: this.hmac.digest('application-challenge-used', input.challenge),
      origin_ip: ip,
      note: null,
      decided_by: null,
      decided_at: null,
      merchant_id: null,
      created_at: now,
      updated_at: now,
    };
    try {
      await this.db.transaction().execute(async (trx) => {
        const proofHash = this.hmac.digest('application-phone-proof', input.phone_token);
        if (!(await repo.consumePhoneProof(trx, input.phone, proofHash, now))) {
          throw AppError.from(ApplicationErrors, 'APPLICATION_PHONE_NOT_VERIFIED', { param: 'phone_token' });
        }
        await repo.insertApplication(trx, row);
        await this.deps.outbox.enqueue(trx, {
          channel: 'sms',
          recipient: input.phone,
          template: 'application_status_link',
          locale: link.locale,
          params: { business_name: row.business_name },
          secretParams: { link: `${link.statusPage}#${statusToken}` },
        });
        await this.deps.audit.record(trx, {
          merchantId: null,
          actor: { type: 'anonymous' },
          event: 'application.submitted',
          outcome: 'success',
          origin: ip,
          object: { type: 'application', id: row.id },
          detail: { terminal_count: row.terminal_count, rate_plan_id: row.rate_plan_id },
        });
      });
    } catch (error) {
      // A solved challenge serves one application: a replay meets the unique column.
      if (isUniqueViolation(error))
        throw await this.refused(ip, 'bot_check', 'replayed', 'APPLICATION_BOT_CHECK_FAILED');
      throw error;
    }
    return { row, statusToken };
  }

  /** The application behind a status token; 404 for any other token. */
  async byStatusToken(token: string): Promise<ApplicationRow> {
    const row = await repo.findByStatusToken(this.db, this.hmac.digest('application-status', token));
    if (!row) throw AppError.from(ApplicationErrors, 'APPLICATION_NOT_FOUND');
    return row;
  }

  /** The applicant changes the details the reviewer asked about; the application goes back to the queue. */
  async amend(token: string, input: ApplicationDetails, ip: string): Promise<ApplicationRow> {
    const details = checkDetails(input);
    const current = await this.byStatusToken(token);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const moved = await repo.transition(trx, current.id, ['needs_info'], {
        status: 'submitted',
        ...this.stored(details),
        // The page shows the e-mail masked, so it cannot send it back: left out, it stays as it was.
        email: details.email === undefined ? current.email : details.email,
        updated_at: now,
      });
      if (!moved) throw AppError.from(ApplicationErrors, 'APPLICATION_NOT_AMENDABLE');
      await this.deps.audit.record(trx, {
        merchantId: null,
        actor: { type: 'anonymous' },
        event: 'application.amended',
        outcome: 'success',
        origin: ip,
        object: { type: 'application', id: current.id },
        detail: {},
      });
    });
    return this.byStatusToken(token);
  }

  /** The full bank account, for the platform's settlement set-up (never shown in an answer or a log). */
  bankAccountOf(row: ApplicationRow): string {
    return this.sealer.open(row.bank_account_sealed);
  }

  private stored(details: ApplicationDetails) {
    return {
      business_name: details.business_name,
      credit_code: details.credit_code,
      legal_rep: details.legal_rep,
      email: details.email ?? null,
      address: details.address,
      bank_name: details.bank_name,
      bank_account_sealed: this.sealer.seal(details.bank_account),
      bank_account_last4: details.bank_account.slice(-4),
      terminal_count: details.terminal_count,
      rate_plan_id: details.rate_plan_id,
    };
  }

  private async refused(ip: string, check: string, reason: string, code: keyof typeof ApplicationErrors) {
    await this.deps.audit.record(undefined, {
      merchantId: null,
      actor: { type: 'anonymous' },
      event: 'application.submitted',
      outcome: 'failure',
      origin: ip,
      detail: { check, reason },
    });
    return AppError.from(ApplicationErrors, code);
  }
}

/** The rules on the details that zod cannot say: the credit code's check character, a published rate plan. */
function checkDetails<T extends ApplicationDetails>(input: T): T {
  const creditCode = normalizeCreditCode(input.credit_code);
  if (!isValidCreditCode(creditCode)) {
    throw AppError.from(ApplicationErrors, 'APPLICATION_CREDIT_CODE_INVALID', { param: 'credit_code' });
  }
  if (!findRatePlan(input.rate_plan_id)) {
    throw AppError.from(ProvisioningErrors, 'RATE_PLAN_UNKNOWN', { param: 'rate_plan_id' });
  }
  return { ...input, credit_code: creditCode, bank_account: input.bank_account.replace(/\s/g, '') };
}
