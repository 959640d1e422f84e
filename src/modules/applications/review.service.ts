import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, DAY, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { StaffSession } from '../access/index.js';
import { type AuditService, staffEvent } from '../audit/index.js';
import { maskDestination } from '../authorization/index.js';
import type { InvitationsService } from '../invitations/index.js';
import { findRatePlan, type MerchantsService } from '../merchants/index.js';
import { destinationsOf, type OutboxService } from '../notify/index.js';
import { ProvisioningErrors, uniqueLogin } from '../provisioning/index.js';
import type { StaffService } from '../staff/index.js';
import type { TerminalsService } from '../terminals/index.js';
import { ApplicationErrors } from './applications.errors.js';
import * as repo from './applications.repository.js';
import type { ApplicationRow, ApplicationStatus } from './applications.table.js';

export interface ReviewDeps {
  merchants: MerchantsService;
  staff: StaffService;
  invitations: InvitationsService;
  terminals: TerminalsService;
  outbox: OutboxService;
  audit: AuditService;
}

/** What an approval made: the merchant, its store, the invited owner and the terminals (their codes went to the owner). */
export interface Approval {
  row: ApplicationRow;
  merchantId: string;
  storeId: string;
  owner: { id: string; login: string; invitation_sent_to: string[] };
  terminals: Array<{ id: string; name: string; activation_expires_at: string }>;
  activationCodesSentTo: string[];
}

/**
 * The platform admin's review queue: approve (with a rate plan), reject with a reason, or ask the applicant for more.
 * Every decision is one conditional update on the application's status, so of simultaneous decisions exactly one
 * happens; an approval makes everything in that same transaction, or nothing.
 */
export class ReviewService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly deps: ReviewDeps,
  ) {}

  /** The queue, newest first (100 at most), of one status or all. */
  list(status?: ApplicationStatus): Promise<ApplicationRow[]> {
    return repo.list(this.db, status);
  }

  async get(id: string): Promise<ApplicationRow> {
    const row = await repo.findById(this.db, id);
    if (!row) throw AppError.from(ApplicationErrors, 'APPLICATION_NOT_FOUND');
    return row;
  }

  /**
   * Approve: the merchant with the rate plan, one store, the owner (the applicant's verified phone, invited by SMS and
   * e-mail to set their own password) and the terminals, whose activation codes go to the owner only (SMS and e-mail),
   * never to the reviewer.
   */
  async approve(
    admin: StaffSession,
    id: string,
    input: { ratePlanId?: string | undefined; ownerLogin?: string | undefined },
  ): Promise<Approval> {
    const current = await this.get(id);
    const plan = findRatePlan(input.ratePlanId ?? current.rate_plan_id);
    if (!plan) throw AppError.from(ProvisioningErrors, 'RATE_PLAN_UNKNOWN', { param: 'rate_plan_id' });
    const now = this.clock.now();
    return uniqueLogin(() =>
      this.db.transaction().execute(async (trx): Promise<Approval> => {
        const moved = await repo.transition(trx, id, ['submitted'], {
          status: 'approved',
          rate_plan_id: plan.id,
          decided_by: admin.userId,
          decided_at: now,
          updated_at: now,
          note: null,
        });
        if (!moved) throw AppError.from(ApplicationErrors, 'APPLICATION_NOT_REVIEWABLE');
        const { merchants, staff, invitations, terminals } = this.deps;
        const merchant = await merchants.createMerchant(
          { name: current.business_name, ratePlan: plan.fees, ratePlanId: plan.id },
          trx,
        );
        const store = await merchants.createStore(merchant.id, { name: current.business_name }, trx);
        const owner = await staff.createUser(
          {
            merchantId: merchant.id,
            role: 'owner',
            login: input.ownerLogin ?? current.phone,
            name: current.legal_rep,
            phone: current.phone,
            email: current.email,
          },
          trx,
        );
        const { sentTo } = await invitations.invite(trx, owner, merchant.name, { userId: admin.userId, ip: admin.ip });
        const made: Approval['terminals'] = [];
        const codes: string[] = [];
        for (let i = 1; i <= current.terminal_count; i++) {
          const name = `POS-${String(i).padStart(2, '0')}`;
          const terminal = await terminals.createTerminal({ merchantId: merchant.id, storeId: store.id, name }, trx);
          made.push({ id: terminal.terminalId, name, activation_expires_at: toIso(terminal.activationExpiresAt) });
          codes.push(`${name} ${terminal.activationCode}`);
        }
        const destinations = destinationsOf([owner]);
        for (const to of destinations) {
          await this.deps.outbox.enqueue(trx, {
            merchantId: merchant.id,
            channel: to.channel,
            recipient: to.recipient,
            template: 'application_terminals',
            locale: to.locale,
            params: { merchant: merchant.name, count: made.length, expires_at: made[0]?.activation_expires_at },
            secretParams: { codes: codes.join('; ') },
            giveUpAt: now + 7 * DAY,
          });
        }
        await trx.updateTable('applications').set({ merchant_id: merchant.id }).where('id', '=', id).execute();
        await this.record(trx, admin, id, 'application.approved', merchant.id, {
          rate_plan_id: plan.id,
          store_id: store.id,
          owner_id: owner.id,
          terminal_ids: made.map((t) => t.id),
        });
        return {
          row: { ...current, status: 'approved', rate_plan_id: plan.id, merchant_id: merchant.id, decided_at: now },
          merchantId: merchant.id,
          storeId: store.id,
          owner: { id: owner.id, login: owner.login, invitation_sent_to: sentTo },
          terminals: made,
          activationCodesSentTo: destinations.map(maskDestination),
        };
      }),
    );
  }

  /** Reject with a reason the applicant reads (status link, SMS). */
  reject(admin: StaffSession, id: string, reason: string): Promise<ApplicationRow> {
    return this.decide(admin, id, ['submitted', 'needs_info'], 'rejected', reason, 'application.rejected');
  }

  /** Ask the applicant for more information; they amend through the status link and the application returns. */
  requestInfo(admin: StaffSession, id: string, message: string): Promise<ApplicationRow> {
    return this.decide(admin, id, ['submitted'], 'needs_info', message, 'application.info_requested');
  }

  private async decide(
    admin: StaffSession,
    id: string,
    from: ApplicationStatus[],
    to: ApplicationStatus,
    note: string,
    event: string,
  ): Promise<ApplicationRow> {
    const current = await this.get(id);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      const moved = await repo.transition(trx, id, from, {
        status: to,
        note,
        decided_by: admin.userId,
        decided_at: now,
        updated_at: now,
      });
      if (!moved) throw AppError.from(ApplicationErrors, 'APPLICATION_NOT_REVIEWABLE');
      await this.deps.outbox.enqueue(trx, {
        channel: 'sms',
        recipient: current.phone,
        template: 'application_status',
        params: { business_name: current.business_name, status: to, note },
      });
      await this.record(trx, admin, id, event, null, {});
    });
    return this.get(id);
  }

  private record(
    trx: Executor,
    admin: StaffSession,
    id: string,
    event: string,
    merchantId: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    const object = { type: 'application', id };
    return this.deps.audit.record(trx, staffEvent(admin, event, { merchantId, object, detail }));
  }
}
