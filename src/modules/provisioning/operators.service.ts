import type { Kysely } from 'kysely';
import { isUniqueViolation } from '../../db/database.js';
import type { DB } from '../../db/schema.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import { HashedSecret } from '../../lib/hashing.js';
import { cryptoRandom, type RandomSource, randomDigits } from '../../lib/random.js';
import { checkPinStrength } from '../../lib/secret-strength.js';
import type { AuditService } from '../audit/index.js';
import { assertStoreInScope, canActOnStore, type StaffSession } from '../auth/index.js';
import { maskPhone } from '../authorization/index.js';
import type { MerchantsService } from '../merchants/index.js';
import type { OutboxService } from '../notify/index.js';
import {
  ALL_OPERATOR_PERMISSIONS,
  type Operator,
  type OperatorPermissions,
  type StaffService,
} from '../staff/index.js';
import { ProvisioningErrors } from './provisioning.errors.js';
import { merchantOf, storeInScope } from './provisioning-context.js';

export interface OperatorView {
  id: string;
  object: 'operator';
  store_id: string;
  staff_id: string | null;
  operator_no: string;
  name: string;
  status: Operator['status'];
  permissions: { may_refund: boolean; may_void: boolean; may_settle: boolean; refund_cap: number | null };
}

/** Digits of an operator's initial password (the terminal keypad's PIN). */
const INITIAL_PASSWORD_DIGITS = 6;

/**
 * Operator numbers (操作员号 01-99 per store). Each belongs to one staff member, so every rule about "who" compares
 * people; its initial password goes only to that person's phone; its permissions (refund, void, settle, a refund cap)
 * are checked on the terminal routes.
 */
export class OperatorsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly merchants: MerchantsService,
    private readonly staff: StaffService,
    private readonly outbox: OutboxService,
    private readonly audit: AuditService,
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  /** Create an operator number in a store for a staff member; the initial password is sent to their phone. */
  async createOperator(
    session: StaffSession,
    input: {
      storeId: string;
      staffId: string;
      operatorNo: string;
      name?: string | undefined;
      permissions?: OperatorPermissions | undefined;
    },
  ): Promise<OperatorView & { password_sent_to: string }> {
    const store = await storeInScope(this.merchants, session, input.storeId, 'store_id');
    const person = await this.staff.getUser(input.staffId);
    if (!person || person.merchantId !== store.merchantId)
      throw AppError.from(CommonErrors, 'NOT_FOUND', { param: 'staff_id' });
    if (person.status === 'disabled') throw AppError.from(ProvisioningErrors, 'STAFF_DISABLED', { param: 'staff_id' });
    if (person.storeIds !== null && !person.storeIds.includes(store.id))
      throw AppError.from(ProvisioningErrors, 'STAFF_NOT_IN_STORE', { param: 'staff_id' });
    const phone = person.phone;
    if (!phone) throw AppError.from(ProvisioningErrors, 'STAFF_PHONE_MISSING', { param: 'staff_id' });
    const password = this.initialPassword();
    // Hashed before the transaction, which must not hold its locks while a thread computes Argon2id.
    const hashed = await HashedSecret.of(password);
    try {
      return await this.db.transaction().execute(async (trx) => {
        const operator = await this.staff.createOperator(
          {
            merchantId: store.merchantId,
            storeId: store.id,
            operatorNo: input.operatorNo,
            name: input.name ?? person.name,
            password: hashed,
            staffId: person.id,
            permissions: input.permissions ?? ALL_OPERATOR_PERMISSIONS,
          },
          trx,
        );
        await this.outbox.enqueue(trx, {
          merchantId: store.merchantId,
          channel: 'sms',
          recipient: phone,
          template: 'operator_password',
          locale: person.locale,
          params: { store: store.name, operator_no: operator.operatorNo, name: person.name },
          secretParams: { password },
        });
        await this.audit.record(trx, {
          merchantId: store.merchantId,
          actor: { type: 'user', id: session.userId },
          event: 'operator.created',
          outcome: 'success',
          origin: session.ip,
          object: { type: 'operator', id: operator.id },
          detail: { store_id: store.id, staff_id: person.id, operator_no: operator.operatorNo },
        });
        return { ...operatorView(operator), password_sent_to: maskPhone(phone) };
      });
    } catch (error) {
      if (isUniqueViolation(error))
        throw AppError.from(ProvisioningErrors, 'OPERATOR_NO_TAKEN', { param: 'operator_no' });
      throw error;
    }
  }

  /** Change what an operator may do at the terminal (takes effect on the next request). */
  async setPermissions(
    session: StaffSession,
    operatorId: string,
    permissions: OperatorPermissions,
  ): Promise<OperatorView> {
    const operator = await this.staff.getOperator(operatorId);
    if (!operator) throw AppError.from(CommonErrors, 'NOT_FOUND');
    assertStoreInScope(session, { id: operator.storeId, merchantId: operator.merchantId });
    await this.db.transaction().execute(async (trx) => {
      await this.staff.setOperatorPermissions(trx, operator.id, permissions);
      await this.audit.record(trx, {
        merchantId: operator.merchantId,
        actor: { type: 'user', id: session.userId },
        event: 'operator.permissions_changed',
        outcome: 'success',
        origin: session.ip,
        object: { type: 'operator', id: operator.id },
        detail: { from: permissionsView(operator.permissions), to: permissionsView(permissions) },
      });
    });
    return operatorView({ ...operator, permissions });
  }

  /** The operator numbers of the session's stores, or of one of them (a store outside the scope is 404). */
  async listOperators(session: StaffSession, storeId?: string | undefined): Promise<OperatorView[]> {
    const merchantId = merchantOf(session);
    if (storeId !== undefined) await storeInScope(this.merchants, session, storeId, 'store_id');
    return (await this.staff.operatorsOfMerchant(merchantId))
      .filter((o) =>
        storeId === undefined ? canActOnStore(session, { id: o.storeId, merchantId }) : o.storeId === storeId,
      )
      .map(operatorView);
  }

  /** Six random digits that pass the weak-PIN rules (no runs, no repeats). */
  private initialPassword(): string {
    for (;;) {
      const pin = randomDigits(INITIAL_PASSWORD_DIGITS, this.random);
      if (checkPinStrength(pin).acceptable) return pin;
    }
  }
}

function permissionsView(p: OperatorPermissions): OperatorView['permissions'] {
  return { may_refund: p.mayRefund, may_void: p.mayVoid, may_settle: p.maySettle, refund_cap: p.refundCap };
}

export function operatorView(o: Operator): OperatorView {
  return {
    id: o.id,
    object: 'operator',
    store_id: o.storeId,
    staff_id: o.staffId,
    operator_no: o.operatorNo,
    name: o.name,
    status: o.status,
    permissions: permissionsView(o.permissions),
  };
}
