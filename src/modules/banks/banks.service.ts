import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import type { Clock } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { cryptoRandom, newId, newSecret, type RandomSource } from '../../lib/random.js';
import type { Sealer } from '../../lib/sealer.js';
import type { AuditService } from '../audit/index.js';
import type { MerchantsService } from '../merchants/index.js';
import { type BranchVerification, type SupportCaseKind, SupportErrors, type SupportService } from '../support/index.js';
import { BANK_HEADERS, BANK_TIMESTAMP_WINDOW_S, signatureMatches, timestampInWindow } from './bank-signature.js';
import { BankErrors } from './banks.errors.js';
import type { BankRow } from './banks.table.js';

/** A request whose signature was checked: the bank, the nonce it used, and where it came from. */
export interface SignedBank {
  bankId: string;
  nonce: string;
  ip: string;
}

/** Who asks: an admin at the command line or over the API, for the audit log. */
export interface BankActor {
  actor: { type: 'user' | 'system'; id?: string };
  origin: string;
}

/** A signed request as it arrived: method, path with query, the four headers and the raw body. */
export interface BankRequest {
  /** The caller's address, for the audit of a refusal. */
  ip: string;
  method: string;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/**
 * Partner banks (issue 15 item 3): organisations with an API credential (HMAC-SHA256 over method, path, timestamp,
 * nonce and body hash; ±5 minutes; every nonce once) that may ask for a reset for the merchants settling to them. The
 * request becomes a support case in the desk's flow; the bank is its first person, an agent calls back and approves.
 */
export class BanksService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly sealer: Sealer,
    private readonly deps: { audit: AuditService; merchants: MerchantsService; support: SupportService },
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  /** Register a bank and issue its credential; the secret is answered once and kept only sealed. */
  async register(by: BankActor, name: string): Promise<{ bank: BankRow; keyId: string; secret: string }> {
    const now = this.clock.now();
    const bank: BankRow = { id: newId('bnk', this.random), name, status: 'active', created_at: now };
    const keyId = newId('bkk', this.random);
    const secret = newSecret('bks', this.random);
    await this.db.transaction().execute(async (trx) => {
      await trx.insertInto('banks').values(bank).execute();
      await trx
        .insertInto('bank_credentials')
        .values({
          key_id: keyId,
          bank_id: bank.id,
          secret_sealed: this.sealer.seal(secret),
          created_at: now,
          revoked_at: null,
        })
        .execute();
      await this.deps.audit.record(trx, {
        actor: by.actor,
        event: 'bank.registered',
        outcome: 'success',
        origin: by.origin,
        object: { type: 'bank', id: bank.id },
        detail: { name, key_id: keyId },
      });
    });
    return { bank, keyId, secret };
  }

  /** The bank a merchant settles to (the only bank that may ask for its resets). */
  async setSettlementBank(by: BankActor, merchantId: string, bankId: string): Promise<void> {
    await this.deps.merchants.getMerchant(merchantId).catch(() => {
      throw AppError.from(CommonErrors, 'NOT_FOUND');
    });
    const bank = await this.db.selectFrom('banks').select('id').where('id', '=', bankId).executeTakeFirst();
    if (!bank) throw AppError.from(BankErrors, 'BANK_NOT_FOUND', { param: 'bank_id' });
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto('merchant_settlement_banks')
        .values({ merchant_id: merchantId, bank_id: bankId, set_at: now })
        .onConflict((oc) => oc.column('merchant_id').doUpdateSet({ bank_id: bankId, set_at: now }))
        .execute();
      await this.deps.audit.record(trx, {
        merchantId,
        actor: by.actor,
        event: 'merchant.settlement_bank_set',
        outcome: 'success',
        origin: by.origin,
        object: { type: 'merchant', id: merchantId },
        detail: { bank_id: bankId },
      });
    });
  }

  /** The merchant's settlement bank, or null. */
  async settlementBankOf(merchantId: string): Promise<string | null> {
    const row = await this.db
      .selectFrom('merchant_settlement_banks')
      .select('bank_id')
      .where('merchant_id', '=', merchantId)
      .executeTakeFirst();
    return row?.bank_id ?? null;
  }

  /**
   * The bank behind a signed request, checked in this order: key known and active, timestamp within ±5 minutes,
   * signature (constant time). The nonce is spent later (spendNonce), once the request is otherwise acceptable.
   */
  async authenticate(request: BankRequest): Promise<SignedBank> {
    const header = (name: string) => {
      const value = request.headers[name];
      return typeof value === 'string' ? value : undefined;
    };
    const keyId = header(BANK_HEADERS.key);
    const timestamp = header(BANK_HEADERS.timestamp);
    const nonce = header(BANK_HEADERS.nonce);
    const signature = header(BANK_HEADERS.signature);
    const credential = keyId
      ? await this.db
          .selectFrom('bank_credentials')
          .innerJoin('banks', 'banks.id', 'bank_credentials.bank_id')
          .select(['bank_credentials.bank_id', 'bank_credentials.secret_sealed'])
          .where('bank_credentials.key_id', '=', keyId)
          .where('bank_credentials.revoked_at', 'is', null)
          .where('banks.status', '=', 'active')
          .executeTakeFirst()
      : undefined;
    const bankId = credential?.bank_id ?? null;
    if (!credential || !signature || !nonce || !/^[A-Za-z0-9_-]{16,128}$/.test(nonce)) {
      throw await this.refuse(bankId, request.ip, 'BANK_SIGNATURE_INVALID');
    }
    if (!timestamp || !timestampInWindow(timestamp, this.clock.now())) {
      throw await this.refuse(bankId, request.ip, 'BANK_TIMESTAMP_INVALID');
    }
    const parts = { method: request.method, path: request.path, timestamp, nonce, body: request.body };
    if (!signatureMatches(this.sealer.open(credential.secret_sealed), parts, signature)) {
      throw await this.refuse(bankId, request.ip, 'BANK_SIGNATURE_INVALID');
    }
    return { bankId: credential.bank_id, nonce, ip: request.ip };
  }

  /**
   * A reset asked for by a bank for a merchant settling to it: the nonce is spent (its primary key refuses a replay,
   * also in parallel), then the case is opened in the support desk. Another bank's merchant is answered as unknown.
   */
  async requestReset(
    signed: SignedBank,
    input: { merchantId: string; kind: SupportCaseKind; verification: BranchVerification },
  ) {
    if (!/^[0-9A-Za-z]{4}$/.test(input.verification.last4)) {
      await this.refuse(signed.bankId, signed.ip, 'SUPPORT_FULL_NUMBER_REFUSED');
      throw AppError.from(SupportErrors, 'SUPPORT_FULL_NUMBER_REFUSED', { param: 'verification.last4' });
    }
    if ((await this.settlementBankOf(input.merchantId)) !== signed.bankId) {
      throw await this.refuse(signed.bankId, signed.ip, 'BANK_MERCHANT_NOT_FOUND');
    }
    const now = this.clock.now();
    const spent = await this.db
      .insertInto('bank_nonces')
      .values({ bank_id: signed.bankId, nonce: signed.nonce, seen_at: now })
      .onConflict((oc) => oc.columns(['bank_id', 'nonce']).doNothing())
      .executeTakeFirst();
    if (Number(spent.numInsertedOrUpdatedRows ?? 0n) !== 1) {
      throw await this.refuse(signed.bankId, signed.ip, 'BANK_NONCE_REUSED');
    }
    // Nonces older than twice the window can no longer come with an acceptable timestamp.
    await this.db
      .deleteFrom('bank_nonces')
      .where('seen_at', '<', now - 2 * BANK_TIMESTAMP_WINDOW_S * 1000)
      .execute();
    return this.deps.support.openForBank(signed.bankId, input.merchantId, input.kind, input.verification);
  }

  /** Every refused bank request is audited (the reason, the bank when its key was known); answers the error. */
  private async refuse(
    bankId: string | null,
    ip: string,
    code:
      | 'BANK_SIGNATURE_INVALID'
      | 'BANK_TIMESTAMP_INVALID'
      | 'BANK_MERCHANT_NOT_FOUND'
      | 'BANK_NONCE_REUSED'
      | 'SUPPORT_FULL_NUMBER_REFUSED',
  ): Promise<AppError> {
    await this.deps.audit.record(undefined, {
      actor: bankId ? { type: 'bank', id: bankId } : { type: 'anonymous' },
      event: 'bank.request_refused',
      outcome: 'failure',
      origin: ip,
      detail: { reason: code },
    });
    return code === 'SUPPORT_FULL_NUMBER_REFUSED'
      ? AppError.from(SupportErrors, code, { param: 'verification.last4' })
      : AppError.from(BankErrors, code);
  }
}
