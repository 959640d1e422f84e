import type { AuthenticationResponseJSON, PublicKeyCredentialRequestOptionsJSON } from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, HOUR, MINUTE, toIso } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { cryptoRandom, newId, newSecret, type RandomSource } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import { type AuditService, staffEvent } from '../audit/index.js';
import type { AuthService, IssuedSession } from '../auth/index.js';
import type { MfaService, PasskeyService, RelyingParty } from '../mfa/index.js';
import type { StaffService } from '../staff/index.js';
import { QrLoginErrors } from './qr-login.errors.js';
import * as repo from './qr-login.repository.js';
import type { QrLoginRow } from './qr-login.table.js';
import { summariseUserAgent } from './user-agent.js';

/** A QR code is good for 2 minutes (issue 12 item 4). */
export const QR_LOGIN_TTL = 2 * MINUTE;
/** Once approved, the waiting browser has this long to collect its session. */
export const QR_COLLECT_WINDOW = 2 * MINUTE;

export type QrPollStatus = 'pending' | 'approved' | 'denied' | 'expired' | 'used';

/** How a person on their phone proves it is them before approving. */
export type QrApproval = { method: 'totp'; code: string } | { method: 'passkey'; response: AuthenticationResponseJSON };

export interface QrLoginView {
  id: string;
  /** The terminal that showed the code, when one did. */
  terminalId: string | null;
  browser: string;
  userAgent: string;
  ip: string;
  createdAt: number;
  expiresAt: number;
}

export interface QrLoginDeps {
  staff: StaffService;
  auth: AuthService;
  mfa: MfaService;
  passkeys: PasskeyService;
  audit: AuditService;
}

/**
 * QR login (扫码登录, issue 12 item 4; docs/security.md "QR login"). A browser asks for a request and shows its QR code;
 * the code carries a secret that only its HMAC is kept of, and the browser gets an HttpOnly cookie that binds the
 * request to it. A signed-in owner, manager or admin scans it, sees where it comes from and approves with a second
 * factor (passkey or TOTP) or denies; the bound browser's next poll is signed in as the approver, exactly once.
 * Every step is audited.
 */
export class QrLoginService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly deps: QrLoginDeps,
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  /**
   * A new request from a browser, or from a terminal (`shownBy`: then only its merchant's people may approve): its id,
   * the secret for the QR code and the browser's binding token (each shown once).
   */
  async create(
    ip: string,
    userAgent: string,
    shownBy?: { terminalId: string; merchantId: string },
  ): Promise<{ id: string; secret: string; browserToken: string; expiresAt: number }> {
    const now = this.clock.now();
    const id = newId('qrl', this.random);
    const secret = newSecret('qrc', this.random);
    const browserToken = newSecret('qrb', this.random);
    const expiresAt = now + QR_LOGIN_TTL;
    await this.db.transaction().execute(async (trx) => {
      await repo.forgetOld(trx, now - 24 * HOUR);
      await repo.insertQrLogin(trx, {
        id,
        secret_hash: this.hmac.digest('qr-login-secret', id, secret),
        browser_hash: this.hmac.digest('qr-login-browser', id, browserToken),
        status: 'pending',
        ip,
        user_agent: userAgent.slice(0, 512),
        created_at: now,
        expires_at: expiresAt,
        approved_by: null,
        decided_at: null,
        used_at: null,
        terminal_id: shownBy?.terminalId ?? null,
        merchant_id: shownBy?.merchantId ?? null,
      });
      await this.deps.audit.record(trx, {
        ...(shownBy ? { merchantId: shownBy.merchantId } : {}),
        actor: shownBy ? { type: 'terminal', id: shownBy.terminalId } : { type: 'anonymous' },
        event: 'qr_login.created',
        outcome: 'info',
        origin: ip,
        object: { type: 'qr_login', id },
        detail: { browser: summariseUserAgent(userAgent), expires_at: toIso(expiresAt) },
      });
    });
    return { id, secret, browserToken, expiresAt };
  }

  /**
   * The bound browser's poll. When the request was approved, this poll opens the approver's session (once: of many
   * parallel polls exactly one gets it, the others see `used`).
   */
  async poll(
    id: string,
    browserToken: string | undefined,
    ip: string,
  ): Promise<{ status: QrPollStatus } | { status: 'signed_in'; issued: IssuedSession }> {
    if (!browserToken) throw AppError.from(QrLoginErrors, 'QR_LOGIN_BROWSER_REQUIRED');
    const row = await repo.findQrLogin(this.db, id);
    if (!row || !this.hmac.matches(row.browser_hash, 'qr-login-browser', id, browserToken)) {
      throw AppError.from(QrLoginErrors, 'QR_LOGIN_NOT_FOUND');
    }
    const status = this.statusOf(row);
    if (status !== 'approved' || !row.approved_by) return { status };
    const user = await this.deps.staff.getUser(row.approved_by);
    if (!user) return { status: 'expired' };
    const browserHash = row.browser_hash;
    const now = this.clock.now();
    try {
      const issued = await this.deps.auth.issueApproved(
        user,
        ip,
        { kind: 'qr_login', id },
        (trx) => repo.collect(trx, id, browserHash, now - QR_COLLECT_WINDOW, now),
        () => AppError.from(QrLoginErrors, 'QR_LOGIN_ALREADY_USED'),
      );
      return { status: 'signed_in', issued };
    } catch (error) {
      if (error instanceof AppError && error.code === 'QR_LOGIN_ALREADY_USED') {
        const again = await repo.findQrLogin(this.db, id);
        return { status: again ? this.statusOf(again) : 'expired' };
      }
      throw error;
    }
  }

  /** What the phone shows before approving: where the request comes from and when. */
  async inspect(staff: StaffSession, id: string, secret: string): Promise<QrLoginView> {
    const row = await this.pendingRow(staff, id, secret, 'inspect');
    await this.audit(undefined, staff, 'qr_login.inspected', 'info', id, {});
    return viewOf(row);
  }

  /** Options for approving with a passkey: a challenge bound to this request and this person. */
  async passkeyOptions(
    staff: StaffSession,
    id: string,
    secret: string | undefined,
    rp: RelyingParty,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    if (secret !== undefined) await this.pendingRow(staff, id, secret, 'passkey_options');
    return this.deps.passkeys.assertionOptions(staff.userId, 'qr_approve', id, rp);
  }

  /** Approve with a second factor of the approver (counted like sign-in); the bound browser then collects a session. */
  async approve(
    staff: StaffSession,
    id: string,
    secret: string,
    approval: QrApproval,
    rp: RelyingParty,
  ): Promise<void> {
    await this.pendingRow(staff, id, secret, 'approve');
    if (approval.method === 'totp') {
      await this.deps.mfa.verifyTotp(staff.userId, staff.ip, 'qr_login.approve', approval.code);
    } else {
      await this.deps.passkeys.verifyAssertion(
        staff.userId,
        'qr_approve',
        id,
        rp,
        approval.response,
        staff.ip,
        'qr_login.approve',
      );
    }
    await this.decide(staff, id, 'approved', { method: approval.method });
  }

  /** Deny: the request is over, the browser's poll says `denied`. */
  async deny(staff: StaffSession, id: string, secret: string): Promise<void> {
    await this.pendingRow(staff, id, secret, 'deny');
    await this.decide(staff, id, 'denied', {});
  }

  private async decide(
    staff: StaffSession,
    id: string,
    to: 'approved' | 'denied',
    detail: Record<string, unknown>,
  ): Promise<void> {
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.decide(trx, id, to, staff.userId, now))) {
        const row = await repo.findQrLogin(trx, id);
        throw AppError.from(
          QrLoginErrors,
          row && this.statusOf(row) === 'expired' ? 'QR_LOGIN_EXPIRED' : 'QR_LOGIN_ALREADY_USED',
        );
      }
      await this.audit(trx, staff, `qr_login.${to}`, 'success', id, detail);
    });
  }

  /** The request behind an id and secret, still pending; every refusal is audited with its reason. */
  private async pendingRow(staff: StaffSession, id: string, secret: string, step: string): Promise<QrLoginRow> {
    const row = await repo.findQrLogin(this.db, id);
    let refusal: 'QR_LOGIN_NOT_FOUND' | 'QR_LOGIN_EXPIRED' | 'QR_LOGIN_ALREADY_USED' | undefined;
    if (!row || !this.hmac.matches(row.secret_hash, 'qr-login-secret', id, secret)) refusal = 'QR_LOGIN_NOT_FOUND';
    // A terminal's code is its merchant's: to anyone else it does not exist (docs/api.md: other merchants' objects 404).
    else if (row.merchant_id !== null && row.merchant_id !== staff.merchantId) refusal = 'QR_LOGIN_NOT_FOUND';
    else if (this.statusOf(row) === 'expired') refusal = 'QR_LOGIN_EXPIRED';
    else if (row.status !== 'pending') refusal = 'QR_LOGIN_ALREADY_USED';
    if (refusal || !row) {
      const code = refusal ?? 'QR_LOGIN_NOT_FOUND';
      await this.audit(undefined, staff, 'qr_login.refused', 'failure', id, { step, reason: code });
      throw AppError.from(QrLoginErrors, code);
    }
    return row;
  }

  private statusOf(row: QrLoginRow): QrPollStatus {
    const now = this.clock.now();
    if (row.status === 'pending') return now >= row.expires_at ? 'expired' : 'pending';
    if (row.status === 'approved') {
      return now - (row.decided_at ?? 0) > QR_COLLECT_WINDOW ? 'expired' : 'approved';
    }
    return row.status;
  }

  private audit(
    trx: Executor | undefined,
    staff: StaffSession,
    event: string,
    outcome: 'success' | 'failure' | 'info',
    id: string,
    detail: Record<string, unknown>,
  ): Promise<void> {
    return this.deps.audit.record(trx, staffEvent(staff, event, { outcome, object: { type: 'qr_login', id }, detail }));
  }
}

function viewOf(row: QrLoginRow): QrLoginView {
  return {
    id: row.id,
    terminalId: row.terminal_id,
    browser: summariseUserAgent(row.user_agent),
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: row.created_at,
    expiresAt: row.expires_at,
  };
}
