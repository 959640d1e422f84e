import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type Clock, DAY, HOUR, toIso } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { cryptoRandom, newId, newSecret, type RandomSource } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import type { AttemptLimiter, AttemptRule } from '../attempts/index.js';
import { type AuditService, staffEvent } from '../audit/index.js';
import type { OutboxService } from '../notify/index.js';
import type { StaffService } from '../staff/index.js';
import { SupportErrors } from './support.errors.js';
import type { SupportCaseKind, SupportCaseRow, SupportCheckKind } from './support.table.js';
import {
  type SupportCase,
  type SupportCaseListStatus,
  supportCasePosition,
  supportCasesPage,
  withDetails,
} from './support-case-list.js';

/** A case not approved within 72 hours expires; a reset link lives 24 hours. */
export const SUPPORT_CASE_TTL = 3 * DAY;
export const SUPPORT_RESET_TTL = 24 * HOUR;

/** 30 support actions (search, open, record, approve) per agent per hour, counted before the action. */
export const SUPPORT_ACTIONS_PER_AGENT: AttemptRule = {
  name: 'support_action',
  limit: 30,
  windowMs: HOUR,
  lockMs: HOUR,
  successClears: false,
};

/** What a bank's branch states it verified: the branch, the officer, the document type and its last 4 only. */
export interface BranchVerification {
  branch: string;
  officer: string;
  documentType: string;
  last4: string;
}

/** An identity check as the agent records it: never a full number. */
export type CheckInput =
  | { kind: 'id_document'; documentType: string; last4: string; outcome: 'passed' | 'failed' }
  | { kind: 'business_licence'; last4: string; outcome: 'passed' | 'failed' }
  | { kind: 'callback'; outcome: 'reached' | 'not_reached' };

export interface SupportDeps {
  staff: StaffService;
  attempts: AttemptLimiter;
  audit: AuditService;
  outbox: OutboxService;
}

/**
 * The support desk (客服, issue 15 item 2): an agent finds a merchant, opens a case for its owner, records the identity
 * checks performed (document type and last 4 characters only), and a SECOND agent approves; the owner then receives a
 * reset link on the registered channel. Agents never see, type or set a secret: the link goes to the owner only.
 */
export class SupportService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly deps: SupportDeps,
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  /** Merchants whose name or id contains `q` (at most 20), with their owner's masked contacts. */
  async findMerchants(agent: StaffSession, q: string) {
    await this.count(agent);
    const like = `%${q.replace(/[%_]/g, '')}%`;
    const rows = await this.db
      .selectFrom('merchants')
      .select(['id', 'name', 'status'])
      .where((eb) => eb.or([eb('name', 'like', like), eb('id', '=', q)]))
      .orderBy('name')
      .limit(20)
      .execute();
    await this.audit(agent, 'support.merchant_search', 'success', { type: 'merchant_search', id: '-' }, null, {
      results: rows.length,
    });
    return rows;
  }

  async open(agent: StaffSession, merchantId: string, kind: SupportCaseKind): Promise<SupportCase> {
    await this.count(agent);
    return this.insertCase(merchantId, kind, { type: 'user', id: agent.userId }, agent.ip, { opened_by: agent.userId });
  }

  /**
   * A case opened by a partner bank (banks/bank-resets.service.ts) after its branch verified the owner: the branch's
   * ID check counts as the ID document; an agent still calls back and approves (the bank is the first person).
   */
  async openForBank(bankId: string, merchantId: string, kind: SupportCaseKind, branch: BranchVerification) {
    if (!/^[0-9A-Za-z]{4}$/.test(branch.last4)) {
      throw AppError.from(SupportErrors, 'SUPPORT_FULL_NUMBER_REFUSED', { param: 'verification.last4' });
    }
    return this.insertCase(merchantId, kind, { type: 'bank', id: bankId }, `bank:${bankId}`, {
      opened_by: null,
      bank_id: bankId,
      bank_branch: branch.branch,
      bank_officer: branch.officer,
      bank_document_type: branch.documentType,
      bank_last4: branch.last4,
    });
  }

  private async insertCase(
    merchantId: string,
    kind: SupportCaseKind,
    actor: { type: 'user' | 'bank'; id: string },
    origin: string,
    opener: Partial<SupportCaseRow>,
  ): Promise<SupportCase> {
    const owner = (await this.deps.staff.usersOfMerchant(merchantId)).find(
      (u) => u.role === 'owner' && u.status !== 'disabled' && (u.phone || u.email),
    );
    if (!owner) throw AppError.from(SupportErrors, 'SUPPORT_OWNER_NOT_FOUND');
    const now = this.clock.now();
    const row: SupportCaseRow = {
      id: newId('sca', this.random),
      merchant_id: merchantId,
      owner_id: owner.id,
      kind,
      status: 'open',
      opened_by: null,
      approved_by: null,
      created_at: now,
      expires_at: now + SUPPORT_CASE_TTL,
      approved_at: null,
      reset_token_hash: null,
      reset_expires_at: null,
      reset_used_at: null,
      bank_id: null,
      bank_branch: null,
      bank_officer: null,
      bank_document_type: null,
      bank_last4: null,
      ...opener,
    };
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('support_cases').values(row).execute();
      await this.deps.audit.record(trx, {
        merchantId,
        actor,
        event: 'support.case_opened',
        outcome: 'success',
        origin,
        object: { type: 'support_case', id: row.id },
        detail: { kind, ...(row.bank_id ? { bank_id: row.bank_id } : {}) },
      });
    });
    return this.get(row.id);
  }

  async get(caseId: string): Promise<SupportCase> {
    const row = await this.db.selectFrom('support_cases').selectAll().where('id', '=', caseId).executeTakeFirst();
    if (!row) throw AppError.from(SupportErrors, 'SUPPORT_CASE_NOT_FOUND');
    const [found] = await withDetails(this.db, this.clock.now(), [row]);
    if (!found) throw AppError.from(SupportErrors, 'SUPPORT_CASE_NOT_FOUND');
    return found;
  }

  /**
   * A page of cases, newest first, e.g. those waiting for a second agent (`checks_recorded`); `hasMore` when a next
   * page exists. Not counted as an action: the desk shows the list each time it opens, and it reads no owner's contact.
   */
  async list(q: {
    status?: SupportCaseListStatus;
    limit: number;
    startingAfter?: string;
  }): Promise<{ cases: SupportCase[]; hasMore: boolean }> {
    const after = q.startingAfter === undefined ? null : await supportCasePosition(this.db, q.startingAfter);
    if (after === undefined) throw AppError.from(CommonErrors, 'VALIDATION_FAILED', { param: 'starting_after' });
    const cases = await supportCasesPage(this.db, this.clock.now(), { status: q.status, limit: q.limit, after });
    return { cases: cases.slice(0, q.limit), hasMore: cases.length > q.limit };
  }

  /** Record one identity check; a value longer than 4 characters is refused (a full number must never be typed). */
  async recordCheck(agent: StaffSession, caseId: string, check: CheckInput): Promise<SupportCase> {
    if ('last4' in check && !/^[0-9A-Za-z]{4}$/.test(check.last4)) {
      throw AppError.from(SupportErrors, 'SUPPORT_FULL_NUMBER_REFUSED', { param: 'last4' });
    }
    await this.count(agent);
    const current = await this.get(caseId);
    if (current.expired) throw AppError.from(SupportErrors, 'SUPPORT_CASE_EXPIRED');
    if (current.row.status === 'approved') throw AppError.from(SupportErrors, 'SUPPORT_CASE_NOT_APPROVABLE');
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('support_checks')
        .values({
          id: newId('sck', this.random),
          case_id: caseId,
          kind: check.kind,
          document_type: check.kind === 'id_document' ? check.documentType : null,
          last4: 'last4' in check ? check.last4 : null,
          outcome: check.outcome,
          recorded_by: agent.userId,
          recorded_at: now,
        })
        .execute();
      const kinds = new Set<SupportCheckKind>([
        ...(current.row.bank_id ? (['id_document'] as const) : []),
        ...current.checks.filter((c) => c.outcome === 'passed' || c.outcome === 'reached').map((c) => c.kind),
        ...(check.outcome === 'passed' || check.outcome === 'reached' ? [check.kind] : []),
      ]);
      if (kinds.has('id_document') && kinds.has('callback')) {
        await trx
          .updateTable('support_cases')
          .set({ status: 'checks_recorded' })
          .where('id', '=', caseId)
          .where('status', '=', 'open')
          .execute();
      }
      await this.deps.audit.record(
        trx,
        staffEvent(agent, 'support.check_recorded', {
          merchantId: current.row.merchant_id,
          object: { type: 'support_case', id: caseId },
          detail: { kind: check.kind, outcome: check.outcome },
        }),
      );
    });
    return this.get(caseId);
  }

  /**
   * The second agent's approval: one conditional update that refuses the opener, an expired case, a case without its
   * checks and a case already approved, so of simultaneous approvals exactly one is recorded. The owner then gets a
   * reset link on the registered channels (the agents never see it): `resetPage` is the console's absolute address of
   * "Reset account", the code follows in #code= (a forgotten key opens its own form, ?mode=key).
   */
  async approve(agent: StaffSession, caseId: string, resetPage: string): Promise<SupportCase> {
    await this.count(agent);
    const current = await this.get(caseId);
    const refuse = async (code: keyof typeof SupportErrors) => {
      await this.audit(
        agent,
        'support.case_approved',
        'failure',
        { type: 'support_case', id: caseId },
        current.row.merchant_id,
        {
          reason: code,
        },
      );
      return AppError.from(SupportErrors, code);
    };
    if (current.row.opened_by === agent.userId) throw await refuse('SUPPORT_SELF_APPROVAL');
    if (current.expired) throw await refuse('SUPPORT_CASE_EXPIRED');
    if (current.row.status === 'open') throw await refuse('SUPPORT_CHECKS_MISSING');
    const owner = await this.deps.staff.getUser(current.row.owner_id);
    if (!owner) throw await refuse('SUPPORT_OWNER_NOT_FOUND');
    const now = this.clock.now();
    // Regression: a code of letters and digits only looked like an internal id (rst_…) to the message texts, which then
    // showed "—" in its place (about one message in four); a hyphen after the prefix never reads as an id.
    const token = newSecret('rst', this.random).replace(/^rst_/, 'rst-');
    // The code rides in the fragment, which browsers never send to a server (no Referer, no access log).
    const mode = current.row.kind === 'forgotten_key' ? '?mode=key' : '';
    const link = `${resetPage}${mode}#code=${encodeURIComponent(token)}`;
    const approved = await this.db.transaction().execute(async (trx) => {
      const result = await trx
        .updateTable('support_cases')
        .set({
          status: 'approved',
          approved_by: agent.userId,
          approved_at: now,
          reset_token_hash: this.hmac.digest('support-reset', caseId, token),
          reset_expires_at: now + SUPPORT_RESET_TTL,
        })
        .where('id', '=', caseId)
        .where('status', '=', 'checks_recorded')
        // A bank's case has no opening agent (null): any agent is the second person after the bank's branch.
        .where((eb) => eb.or([eb('opened_by', 'is', null), eb('opened_by', '!=', agent.userId)]))
        .where('expires_at', '>', now)
        .executeTakeFirst();
      if (Number(result.numUpdatedRows) !== 1) return false;
      for (const [channel, recipient] of [
        ['sms', owner.phone],
        ['email', owner.email],
      ] as const) {
        if (!recipient) continue;
        await this.deps.outbox.enqueue(trx, {
          merchantId: current.row.merchant_id,
          channel,
          recipient,
          template: 'support_reset_link',
          locale: owner.locale,
          params: { case_no: caseId, kind: current.row.kind, expires_at: toIso(now + SUPPORT_RESET_TTL) },
          secretParams: { token, link },
          giveUpAt: now + SUPPORT_RESET_TTL,
        });
      }
      await this.deps.audit.record(
        trx,
        staffEvent(agent, 'support.case_approved', {
          merchantId: current.row.merchant_id,
          object: { type: 'support_case', id: caseId },
          detail: { opened_by: current.row.opened_by },
        }),
      );
      return true;
    });
    if (!approved) throw await refuse('SUPPORT_CASE_NOT_APPROVABLE');
    return this.get(caseId);
  }

  /** Every support action of an agent is counted before it is done (SUPPORT_ACTIONS_PER_AGENT). */
  async count(agent: StaffSession): Promise<void> {
    const claim = await this.deps.attempts.claim([
      { rule: SUPPORT_ACTIONS_PER_AGENT, subject: agent.userId, merchantId: null },
    ]);
    if (!claim.ok) {
      throw AppError.from(SupportErrors, 'SUPPORT_RATE_LIMITED', {
        retry_after_s: claim.retryAfterS ?? (SUPPORT_ACTIONS_PER_AGENT.lockMs ?? 0) / 1000,
      });
    }
    await this.deps.attempts.failed(claim.ticket); // an action stays counted: the limit is on actions
  }

  private audit(
    agent: StaffSession,
    event: string,
    outcome: 'success' | 'failure',
    object: { type: string; id: string },
    merchantId: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    return this.deps.audit.record(undefined, staffEvent(agent, event, { outcome, merchantId, object, detail }));
  }
}
