import type { Kysely } from 'kysely';
import type { DB, Executor } from '../../db/schema.js';
import { type Clock, DAY, HOUR } from '../../lib/clock.js';
import { AppError, CommonErrors } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { cryptoRandom, newId, newSecret, type RandomSource } from '../../lib/random.js';
import { OPERATOR_PIN_PER_OPERATOR } from '../attempts/index.js';
import type { AuditService } from '../audit/index.js';
import { type OperatorPermissions, operatorPermissionsOf, type StaffService } from '../staff/index.js';
import { locked, type OperatorSignIns } from './operator-sign-ins.js';
import { TerminalErrors } from './terminals.errors.js';
import * as repo from './terminals.repository.js';

/** The authenticated terminal of a request. */
export interface TerminalContext {
  id: string;
  merchantId: string;
  storeId: string;
}

/** The operator signed in on that terminal. */
export interface OperatorContext {
  id: string;
  operatorNo: string;
  name: string;
  /** What the operator may do, read with the session (operator requests): the permission check needs no read of its own. */
  permissions?: OperatorPermissions;
}

/** A terminal as the back office lists it. */
export interface TerminalSummary {
  id: string;
  storeId: string;
  name: string;
  status: string;
  createdAt: number;
  activatedAt: number | null;
  /** When a code is waiting to be used: its expiry (the code itself was shown once). */
  activationExpiresAt: number | null;
}

const ACTIVATION_LIFETIME = 7 * DAY;
const OPERATOR_SESSION_LIFETIME = 12 * HOUR;
const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** Terminals: activation codes, terminal keys, and operator sessions on a terminal. */
export class TerminalsService {
  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly staff: StaffService,
    private readonly audit: AuditService,
    private readonly signIns: OperatorSignIns,
    private readonly random: RandomSource = cryptoRandom,
  ) {}

  /** Register a terminal for a store and return its single-use activation code (valid 7 days). */
  async createTerminal(input: { merchantId: string; storeId: string; name: string }, executor: Executor = this.db) {
    const id = newId('trm');
    const now = this.clock.now();
    const activationCode = this.newActivationCode();
    const activationExpiresAt = now + ACTIVATION_LIFETIME;
    await repo.insertTerminal(executor, {
      id,
      merchant_id: input.merchantId,
      store_id: input.storeId,
      name: input.name,
      status: 'pending',
      key_hash: null,
      activation_code_hash: this.hmac.digest('activation', activationCode),
      activation_expires_at: activationExpiresAt,
      activated_at: null,
      created_at: now,
    });
    return { terminalId: id, activationCode, activationExpiresAt };
  }

  /** Issue a new activation code for a terminal (the old one stops working); refused for a retired terminal. */
  async reissueActivationCode(terminalId: string, executor: Executor = this.db): Promise<string> {
    const code = this.newActivationCode();
    const set = await repo.setActivationCode(
      executor,
      terminalId,
      this.hmac.digest('activation', code),
      this.clock.now() + ACTIVATION_LIFETIME,
    );
    if (!set) throw AppError.from(TerminalErrors, 'TERMINAL_RETIRED');
    return code;
  }

  /** Retire a terminal for good: its key stops working at once and its operators are signed out. */
  async retire(terminalId: string, executor: Executor): Promise<void> {
    if (!(await repo.retireTerminal(executor, terminalId))) throw AppError.from(TerminalErrors, 'TERMINAL_RETIRED');
  }

  /** A terminal's name and status, for the back office; undefined when there is none. */
  async describe(id: string): Promise<(TerminalContext & { name: string; status: string }) | undefined> {
    const row = await repo.findTerminalById(this.db, id);
    return (
      row && { id: row.id, merchantId: row.merchant_id, storeId: row.store_id, name: row.name, status: row.status }
    );
  }

  /** The terminals of a store for the back office (never a key or code: those are stored only as HMACs). */
  async terminalsOfStore(storeId: string): Promise<TerminalSummary[]> {
    return (await repo.terminalsOfStore(this.db, storeId)).map((row) => ({
      id: row.id,
      storeId: row.store_id,
      name: row.name,
      status: row.status,
      createdAt: row.created_at,
      activatedAt: row.activated_at,
      activationExpiresAt: row.activation_expires_at,
    }));
  }

  /** Exchange an activation code for a terminal key, shown once and stored only as an HMAC. */
  async activate(activationCode: string): Promise<{ terminalId: string; terminalKey: string }> {
    const terminalKey = newSecret('tk', this.random);
    const terminal = await this.db.transaction().execute(async (trx) => {
      const activated = await repo.consumeActivationCode(
        trx,
        this.hmac.digest('activation', activationCode.trim().toUpperCase()),
        this.hmac.digest('terminal-key', terminalKey),
        this.clock.now(),
      );
      if (!activated) return undefined;
      await this.audit.record(trx, {
        merchantId: activated.merchant_id,
        actor: { type: 'anonymous' },
        event: 'terminal.activated',
        outcome: 'success',
        origin: activated.id,
        object: { type: 'terminal', id: activated.id },
        detail: { store_id: activated.store_id },
      });
      return activated;
    });
    if (!terminal) throw AppError.from(TerminalErrors, 'ACTIVATION_CODE_INVALID');
    return { terminalId: terminal.id, terminalKey };
  }

  /** Resolve a bearer terminal key to its terminal, or refuse with 401. */
  async authenticate(terminalKey: string | undefined): Promise<TerminalContext> {
    if (!terminalKey) throw AppError.from(TerminalErrors, 'TERMINAL_KEY_INVALID');
    const row = await repo.findTerminalByKeyHash(this.db, this.hmac.digest('terminal-key', terminalKey));
    if (row?.status !== 'active') throw AppError.from(TerminalErrors, 'TERMINAL_KEY_INVALID');
    return { id: row.id, merchantId: row.merchant_id, storeId: row.store_id };
  }

  /** An owner, or a manager of the terminal's store, ends its operator sign-in locks (docs/security.md). */
  async unlockOperatorSignIn(
    session: { userId: string; merchantId: string | null; role: string; storeIds: string[] | null; ip: string },
    terminalId: string,
  ): Promise<{ terminal_id: string; locked: false }> {
    const terminal = await this.findTerminal(terminalId);
    const inScope =
      terminal !== undefined &&
      terminal.merchantId === session.merchantId &&
      (session.role === 'owner' || session.storeIds === null || session.storeIds.includes(terminal.storeId));
    if (!terminal || !inScope) throw AppError.from(CommonErrors, 'NOT_FOUND');
    await this.signIns.unlock(session, terminal);
    return { terminal_id: terminal.id, locked: false };
  }

  /** A terminal by id (any status), or undefined; callers check the merchant. */
  async findTerminal(id: string): Promise<TerminalContext | undefined> {
    const row = await repo.findTerminalById(this.db, id);
    return row && { id: row.id, merchantId: row.merchant_id, storeId: row.store_id };
  }

  /** The name people call a terminal by (收银台 1), for message texts; undefined when unknown. */
  async terminalName(id: string): Promise<string | undefined> {
    return (await repo.findTerminalById(this.db, id))?.name;
  }

  /**
   * Sign an operator in on a terminal (签到); returns the session token for `X-Operator-Session`. The attempt is claimed
   * against the operator's and the terminal's limits before the password is checked; every outcome is audited.
   */
  async openOperatorSession(terminal: TerminalContext, operatorNo: string, password: string): Promise<string> {
    const origin = terminal.id;
    const ticket = await this.signIns.claim(terminal, operatorNo, origin);
    const operator = await this.signIns.verifying(ticket, () =>
      this.staff.verifyOperator(terminal.storeId, operatorNo, password),
    );
    if (!operator) {
      const left = await this.signIns.failed(ticket, terminal, operatorNo, origin);
      if (left === 0) throw locked(OPERATOR_PIN_PER_OPERATOR.lockMs);
      throw AppError.from(TerminalErrors, 'OPERATOR_CREDENTIALS_INVALID', { attempts_left: left });
    }
    const token = newSecret('os', this.random);
    const now = this.clock.now();
    await this.db.transaction().execute(async (trx) => {
      await this.signIns.succeeded(trx, ticket, terminal, { id: operator.id, operatorNo }, origin);
      await repo.insertOperatorSession(trx, {
        token_hash: this.hmac.digest('operator-session', token),
        operator_id: operator.id,
        terminal_id: terminal.id,
        expires_at: now + OPERATOR_SESSION_LIFETIME,
        created_at: now,
      });
    });
    return token;
  }

  /**
   * Sign the operator out (签退): the session ends on the server, so a copy of its token (a shared tablet, a stolen
   * state file) is refused from now on; audited. The token was already checked by the operator route's auth.
   */
  async closeOperatorSession(terminal: TerminalContext, operator: OperatorContext, token: string): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await repo.deleteOperatorSession(trx, terminal.id, this.hmac.digest('operator-session', token));
      await this.audit.record(trx, {
        merchantId: terminal.merchantId,
        actor: { type: 'operator', id: operator.id },
        event: 'operator.sign_out',
        outcome: 'success',
        origin: terminal.id,
        object: { type: 'terminal', id: terminal.id },
        detail: { operator_no: operator.operatorNo, store_id: terminal.storeId },
      });
    });
  }

  /** The operator of a session token on this terminal, or 401. */
  async resolveOperatorSession(terminal: TerminalContext, token: string | undefined): Promise<OperatorContext> {
    if (!token) throw AppError.from(TerminalErrors, 'OPERATOR_SESSION_REQUIRED');
    const row = await repo.findOperatorSession(this.db, this.hmac.digest('operator-session', token));
    if (!row || row.terminal_id !== terminal.id || row.expires_at <= this.clock.now() || row.status !== 'active') {
      throw AppError.from(TerminalErrors, 'OPERATOR_SESSION_REQUIRED');
    }
    return { id: row.operator_id, operatorNo: row.operator_no, name: row.name };
  }

  /**
   * Terminal key and operator session of an operator request in one query. Refuses a bad key with 401; `operator` is
   * undefined when the session is missing, expired, of another terminal or of a disabled operator (the caller refuses).
   */
  async authenticateWithSession(
    terminalKey: string | undefined,
    token: string | undefined,
  ): Promise<{ terminal: TerminalContext; operator: OperatorContext | undefined }> {
    if (!terminalKey) throw AppError.from(TerminalErrors, 'TERMINAL_KEY_INVALID');
    if (!token) return { terminal: await this.authenticate(terminalKey), operator: undefined };
    const row = await repo.findTerminalWithOperatorSession(
      this.db,
      this.hmac.digest('terminal-key', terminalKey),
      this.hmac.digest('operator-session', token),
    );
    if (row?.status !== 'active') throw AppError.from(TerminalErrors, 'TERMINAL_KEY_INVALID');
    const terminal = { id: row.id, merchantId: row.merchant_id, storeId: row.store_id };
    const { session_terminal_id, session_expires_at, operator_id, operator_no, operator_name, operator_status } = row;
    if (
      session_terminal_id !== row.id ||
      session_expires_at === null ||
      session_expires_at <= this.clock.now() ||
      operator_status !== 'active' ||
      operator_id === null ||
      operator_no === null ||
      operator_name === null
    ) {
      return { terminal, operator: undefined };
    }
    // Non-null with the operator's id (the join found the operator).
    const permissions = operatorPermissionsOf(row as Parameters<typeof operatorPermissionsOf>[0]);
    return { terminal, operator: { id: operator_id, operatorNo: operator_no, name: operator_name, permissions } };
  }

  private newActivationCode(): string {
    let code = '';
    for (let i = 0; i < 12; i++) code += CODE_ALPHABET[this.random.int(CODE_ALPHABET.length)];
    return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8)}`;
  }
}
