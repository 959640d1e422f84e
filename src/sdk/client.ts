import { NetworkError, RefundkeyError } from './errors.js';
import { Http } from './http.js';
import { newIdempotencyKey } from './idempotency-key.js';
import { isAnswerAbout, PendingList } from './pending-list.js';
import { type KeyValueStore, MemoryStore } from './store.js';
import type {
  Announcement,
  OperationKind,
  PaymentMethod,
  PendingOperation,
  Refund,
  Sale,
  Settlement,
} from './types.js';

export interface TerminalClientOptions {
  /** Where the refundkey server is, e.g. `https://pos.example.com` (no trailing path). */
  baseUrl: string;
  /** The key from activate(); read from the store when not given. */
  terminalKey?: string;
  /** The session from signIn(); read from the store when not given. */
  operatorSession?: string;
  /** Keeps the key, the session and pending operations; a MemoryStore unless given. */
  store?: KeyValueStore;
  /**
   * Keeps the operator session instead of `store`, when it must not live as long as the key: a browser's
   * sessionStorage, so that closing the app ends the shift while the pending operations stay.
   */
  sessionStore?: KeyValueStore;
  /** Language of error messages (Accept-Language); the server's default is zh-CN. */
  language?: 'zh-CN' | 'en';
  /** A fetch to use instead of the global one (a proxy, a test's network that drops answers). */
  fetch?: typeof fetch;
  /** How long to wait for an answer before the operation counts as unanswered (default 30 s). */
  timeoutMs?: number;
}

/** A refund or void: `type: "void"` cancels the whole sale before settlement. */
export interface RefundInput {
  sale_id: string;
  amount: number;
  reason: string;
  type?: 'refund' | 'void';
  /** Where the money goes: the original tender (default), or cash where the store's policy allows it. */
  refund_to?: 'original' | 'cash';
}

export type TodaySales = { data: Sale[]; has_more: boolean };

/** Refund states that change without the terminal doing anything. */
const WAITING = new Set<string>(['pending_approval', 'processing']);

const KEY = { terminalKey: 'terminal_key', session: 'operator_session', pending: 'pending' } as const;

/**
 * A terminal speaking the refundkey terminal API (docs/api.md), in the browser or in Node (fetch only).
 *
 * Every sale, refund and settlement gets an idempotency key that is written to the store before the request leaves;
 * it is removed only when an answer arrives. An operation without an answer (timeout, network down) stays pending and
 * resume() sends it again with the same key, so the server replays its first answer instead of charging or refunding
 * twice, even after the terminal restarts.
 */
export class TerminalClient {
  private readonly store: KeyValueStore;
  private readonly sessionStore: KeyValueStore;
  private readonly http: Http;
  private readonly pendingList: PendingList;
  private readonly language: 'zh-CN' | 'en' | undefined;
  private terminalKey: string | undefined;
  private operatorSession: string | undefined;
  private loaded: Promise<void> | undefined;

  constructor(options: TerminalClientOptions) {
    this.store = options.store ?? new MemoryStore();
    this.sessionStore = options.sessionStore ?? this.store;
    this.http = new Http(
      options.baseUrl.replace(/\/+$/, ''),
      options.fetch ?? ((input, init) => globalThis.fetch(input, init)),
      options.timeoutMs ?? 30_000,
    );
    this.pendingList = new PendingList(this.store, KEY.pending);
    this.language = options.language;
    this.terminalKey = options.terminalKey;
    this.operatorSession = options.operatorSession;
  }

  /** True once the terminal has a key (from activate(), the options, or the store). */
  async isActivated(): Promise<boolean> {
    await this.load();
    return this.terminalKey !== undefined;
  }

  /** True while an operator session is kept (it may still have expired on the server). */
  async isSignedIn(): Promise<boolean> {
    await this.load();
    return this.operatorSession !== undefined;
  }

  /** Exchange the one-time activation code for this terminal's key, and keep the key in the store. */
  async activate(activationCode: string): Promise<{ terminal_id: string; terminal_key: string }> {
    await this.load();
    const answer = (await this.send('POST', '/v1/terminals/activate', { activation_code: activationCode }, 'none')) as {
      terminal_id: string;
      terminal_key: string;
    };
    this.terminalKey = answer.terminal_key;
    this.operatorSession = undefined;
    await this.store.set(KEY.terminalKey, answer.terminal_key);
    await this.sessionStore.delete(KEY.session);
    return answer;
  }

  /** Sign an operator in on this terminal; the session is kept and sent with every later call. */
  async signIn(operatorNo: string, password: string): Promise<{ operator_session: string }> {
    await this.load();
    const answer = (await this.send(
      'POST',
      '/v1/operator-sessions',
      { operator_no: operatorNo, password },
      'terminal',
    )) as { operator_session: string };
    this.operatorSession = answer.operator_session;
    await this.sessionStore.set(KEY.session, answer.operator_session);
    return answer;
  }

  /**
   * Sign the operator out (签退): the server ends the session, so no copy of it works any more; it is forgotten here
   * even when the server cannot be reached (then it expires by itself) or already ended it. The terminal key stays.
   */
  async signOut(): Promise<void> {
    await this.load();
    try {
      if (this.operatorSession) await this.send('POST', '/v1/operator-sessions/sign-out', undefined, 'operator');
    } catch (error) {
      if (!(error instanceof NetworkError) && !(error instanceof RefundkeyError && error.status === 401)) throw error;
    } finally {
      this.operatorSession = undefined;
      await this.sessionStore.delete(KEY.session);
    }
  }

  /** Take a payment (消费). A declined card is a Sale with `status: "declined"` and a `decline_code`. */
  sale(input: { amount: number; payment_method: PaymentMethod }): Promise<Sale> {
    return this.keyed<Sale>('sale', '/v1/sales', {
      amount: input.amount,
      currency: 'CNY',
      payment_method: input.payment_method,
    });
  }

  /** Ask for a refund (or a void); the answer says what authorization it still needs. */
  refund(input: RefundInput): Promise<Refund> {
    return this.keyed<Refund>('refund', '/v1/refunds', {
      sale_id: input.sale_id,
      amount: input.amount,
      reason: input.reason,
      ...(input.type ? { type: input.type } : {}),
      ...(input.refund_to ? { refund_to: input.refund_to } : {}),
    });
  }

  /** Void a whole sale of the open batch (撤销): a refund of its full amount with `type: "void"`. */
  async voidSale(saleId: string, reason: string): Promise<Refund> {
    const sale = await this.getSale(saleId);
    return this.refund({ sale_id: saleId, amount: sale.amount, reason, type: 'void' });
  }

  /** Give the refund key and/or the one-time code; a wrong one is a RefundkeyError with `attemptsLeft`. */
  authorize(refundId: string, secrets: { refund_key?: string; code?: string }): Promise<Refund> {
    const body: { refund_key?: string; code?: string } = {};
    if (secrets.refund_key !== undefined) body.refund_key = secrets.refund_key;
    if (secrets.code !== undefined) body.code = secrets.code;
    return this.send(
      'POST',
      `/v1/refunds/${encodeURIComponent(refundId)}/authorize`,
      body,
      'operator',
    ) as Promise<Refund>;
  }

  /** Send a new one-time code; the previous one stops working. */
  resendCode(refundId: string): Promise<Refund> {
    return this.send(
      'POST',
      `/v1/refunds/${encodeURIComponent(refundId)}/resend-code`,
      {},
      'operator',
    ) as Promise<Refund>;
  }

  /** Give up a refund that is not finished; its reserved amount is released. */
  cancel(refundId: string): Promise<Refund> {
    return this.send('POST', `/v1/refunds/${encodeURIComponent(refundId)}/cancel`, {}, 'operator') as Promise<Refund>;
  }

  getRefund(id: string): Promise<Refund> {
    return this.send('GET', `/v1/refunds/${encodeURIComponent(id)}`, undefined, 'terminal') as Promise<Refund>;
  }

  getSale(id: string): Promise<Sale & { refunds: Refund[] }> {
    return this.send('GET', `/v1/sales/${encodeURIComponent(id)}`, undefined, 'terminal') as Promise<
      Sale & { refunds: Refund[] }
    >;
  }

  /**
   * Poll a refund until it leaves `pending_approval` and the `processing` that follows an approval (a manager approves
   * or denies it in the back office), or until `timeoutMs` passes; answers the refund as last seen.
   */
  async waitForApproval(refundId: string, { intervalMs = 1000, timeoutMs = 120_000 } = {}): Promise<Refund> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const refund = await this.getRefund(refundId);
      if (!WAITING.has(refund.status) || Date.now() >= deadline) return refund;
      await new Promise((done) => setTimeout(done, intervalMs));
    }
  }

  /** This terminal's sales of today (Beijing time), newest first; page with `starting_after` the last id. */
  todaySales(options: { limit?: number; starting_after?: string } = {}): Promise<TodaySales> {
    const query = new URLSearchParams();
    if (options.limit !== undefined) query.set('limit', String(options.limit));
    if (options.starting_after !== undefined) query.set('starting_after', options.starting_after);
    const suffix = query.size > 0 ? `?${query}` : '';
    return this.send('GET', `/v1/terminal/sales${suffix}`, undefined, 'operator') as Promise<TodaySales>;
  }

  /** The platform's announcements (公告) for this merchant that are in force, newest first. */
  async announcements(): Promise<Announcement[]> {
    const list = (await this.send('GET', '/v1/announcements', undefined, 'terminal')) as { data: Announcement[] };
    return list.data;
  }

  /** The signed-in operator has read it (recorded for the staff member behind the operator number). */
  acknowledgeAnnouncement(id: string): Promise<Announcement> {
    const path = `/v1/terminal/announcements/${encodeURIComponent(id)}/acknowledge`;
    return this.send('POST', path, {}, 'operator') as Promise<Announcement>;
  }

  /** Close the open batch (结算): totals per method, fees and net. An empty batch is refused unless `allow_empty`. */
  settle(options: { allow_empty?: boolean } = {}): Promise<Settlement> {
    return this.keyed<Settlement>('settlement', '/v1/settlements', { allow_empty: options.allow_empty ?? false });
  }

  /** Operations sent but not answered, oldest first. */
  pending(): Promise<PendingOperation[]> {
    return this.pendingList.all();
  }

  /**
   * Send every pending operation again with its own idempotency key, oldest first, and answer their results. The
   * server replays what it already did, so nothing happens twice. A NetworkError stops here (the rest stay pending);
   * a refusal is thrown after its operation is settled, and the ones after it stay pending for the next resume().
   */
  async resume(): Promise<Array<Sale | Refund | Settlement>> {
    await this.load();
    const results: Array<Sale | Refund | Settlement> = [];
    for (const operation of await this.pending()) {
      results.push((await this.sendPending(operation)) as Sale | Refund | Settlement);
    }
    return results;
  }

  /** Drop a pending operation without sending it (the cashier checked the outcome another way). */
  discardPending(idempotencyKey: string): Promise<void> {
    return this.pendingList.remove(idempotencyKey);
  }

  private load(): Promise<void> {
    this.loaded ??= (async () => {
      this.terminalKey ??= (await this.store.get(KEY.terminalKey)) ?? undefined;
      this.operatorSession ??= (await this.sessionStore.get(KEY.session)) ?? undefined;
    })();
    return this.loaded;
  }

  /** A sale, refund or settlement: its key is stored before it is sent, and dropped once an answer arrives. */
  private async keyed<T>(kind: OperationKind, path: string, body: unknown): Promise<T> {
    await this.load();
    this.requireAuth('operator');
    const operation: PendingOperation = {
      idempotency_key: newIdempotencyKey(),
      kind,
      path,
      body,
      created_at: new Date().toISOString(),
      attempts: 0,
    };
    await this.pendingList.add(operation);
    return (await this.sendPending(operation)) as T;
  }

  private async sendPending(operation: PendingOperation): Promise<unknown> {
    const attempt = { ...operation, attempts: operation.attempts + 1 };
    await this.pendingList.replace(attempt);
    try {
      const answer = await this.send('POST', attempt.path, attempt.body, 'operator', attempt.idempotency_key);
      await this.discardPending(attempt.idempotency_key);
      return answer;
    } catch (error) {
      if (error instanceof RefundkeyError && isAnswerAbout(attempt, error)) {
        await this.discardPending(attempt.idempotency_key);
        throw error;
      }
      const stillPending = { ...attempt, last_error: error instanceof RefundkeyError ? error.code : String(error) };
      await this.pendingList.replace(stillPending);
      if (error instanceof NetworkError) throw new NetworkError(error.message, stillPending, { cause: error.cause });
      throw error;
    }
  }

  private requireAuth(auth: 'none' | 'terminal' | 'operator'): void {
    if (auth === 'none') return;
    if (!this.terminalKey) {
      throw new RefundkeyError(0, {
        code: 'TERMINAL_NOT_ACTIVATED',
        message:
          this.language === 'en' ? 'activate this terminal first' : '请先激活终端 (activate this terminal first)',
      });
    }
    if (auth === 'operator' && !this.operatorSession) {
      throw new RefundkeyError(0, {
        code: 'OPERATOR_NOT_SIGNED_IN',
        message: this.language === 'en' ? 'sign an operator in first' : '请先登录操作员 (sign an operator in first)',
      });
    }
  }

  /** One HTTP exchange, with the terminal key and operator session the route needs (docs/api.md "Terminal API"). */
  private async send(
    method: 'GET' | 'POST',
    path: string,
    body: unknown,
    auth: 'none' | 'terminal' | 'operator',
    idempotencyKey?: string,
  ): Promise<unknown> {
    await this.load();
    this.requireAuth(auth);
    const headers: Record<string, string> = {};
    if (this.language) headers['accept-language'] = this.language;
    if (auth !== 'none' && this.terminalKey) headers.authorization = `Bearer ${this.terminalKey}`;
    if (auth !== 'none' && this.operatorSession) headers['x-operator-session'] = this.operatorSession;
    if (idempotencyKey) headers['idempotency-key'] = idempotencyKey;

    return this.http.exchange(method, path, body, headers);
  }
}
