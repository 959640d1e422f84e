import type pino from 'pino';
import * as smpp from 'smpp';
import type { NotifyConfig } from '../notify.config.js';
import { renderMessage } from '../templates.js';
import { receiptKey, submittedKey } from './receipt-ids.js';
import { type SmsPart, splitUcs2 } from './sms-parts.js';
import {
  DeliveryError,
  describeError,
  type OutgoingMessage,
  type ReceiptHandler,
  type SendResult,
  type SmsProgress,
  type Transport,
} from './transport.js';

type SmppSettings = Pick<
  NotifyConfig,
  'smppUrl' | 'smppHost' | 'smppPort' | 'smppSystemId' | 'smppPassword' | 'smppSourceAddr'
> &
  Partial<Pick<NotifyConfig, 'smppReceiptIdForm' | 'smsSignature'>>;

interface SmscAddress {
  host: string;
  port: number;
  tls: boolean;
  systemId: string;
  password: string;
}

/** True when an SMSC is configured (otherwise SMS go to the development outbox). */
export function smppConfigured(config: SmppSettings): boolean {
  return Boolean(config.smppUrl || config.smppHost);
}

function smscAddress(config: SmppSettings): SmscAddress {
  const url = config.smppUrl ? new URL(config.smppUrl) : undefined;
  return {
    host: url?.hostname ?? config.smppHost ?? 'localhost',
    port: url?.port ? Number(url.port) : (config.smppPort ?? (url?.protocol === 'ssmpp:' ? 3550 : 2775)),
    tls: url?.protocol === 'ssmpp:',
    systemId: url?.username ? decodeURIComponent(url.username) : (config.smppSystemId ?? ''),
    password: url?.password ? decodeURIComponent(url.password) : (config.smppPassword ?? ''),
  };
}

const RECEIPT_ESM_MASK = 0x3c; // esm_class bits 2-5: message type; 0x04 is an SMSC delivery receipt
const MESSAGE_STATES = [
  'SCHEDULED',
  'ENROUTE',
  'DELIVRD',
  'EXPIRED',
  'DELETED',
  'UNDELIV',
  'ACCEPTD',
  'UNKNOWN',
  'REJECTD',
  'SKIPPED',
];
/** The SMPP version this client speaks (3.4); the smpp package would send 0x50 (5.0) in the bind. */
export const INTERFACE_VERSION = 0x34;
const PERMANENT_STATUSES = new Set([0x0a /* invalid source */, 0x0b /* invalid destination */]);
// Transient refusals: the part is sent again on a later attempt, and only that part (with the ones after it).
const STATUS_NAMES: Record<number, string> = { 20: 'message queue full', 88: 'throttled' };
const SUBMIT_TIMEOUT_MS = 15_000;
const BIND_WAIT_MS = 5_000;
const MAX_RECONNECT_MS = 30_000;

/** SMS over SMPP 3.4: one bind_transceiver session, UCS-2 with concatenation, receipts, keep-alive, reconnects. */
export class SmppTransport implements Transport {
  readonly name = 'smpp';
  private readonly address: SmscAddress;
  private session: smpp.Session | undefined;
  private bound = false;
  private closed = false;
  private reconnectMs = 500;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private readonly bindWaiters = new Set<() => void>();
  private readonly inFlight = new Set<(error: Error) => void>();
  private receipts: ReceiptHandler | undefined;
  private readonly readyHandlers: Array<() => void> = [];
  private reconnectAt = 0;

  constructor(
    private readonly config: SmppSettings,
    private readonly log: pino.Logger,
    private readonly keepAliveMs = 30_000,
  ) {
    this.address = smscAddress(config);
  }

  onReceipt(handler: ReceiptHandler): void {
    this.receipts = handler;
  }

  onReady(handler: () => void): void {
    this.readyHandlers.push(handler);
  }

  warm(): void {
    if (!this.closed && !this.session && !this.reconnectTimer) this.connect();
  }

  /**
   * Submit the parts of the SMS that the SMSC has not accepted yet (an earlier attempt may have got some through before
   * a throttle or a lost connection): an accepted part is never sent, nor billed, twice.
   */
  async send(message: OutgoingMessage): Promise<SendResult> {
    const signature = this.config.smsSignature;
    const text = renderMessage(message.template, message.locale, message.params, { signature }).sms;
    const reference = message.sms?.reference ?? 0;
    const parts = splitUcs2(text, reference);
    const earlier = message.sms?.total === parts.length ? message.sms.accepted : {};
    const accepted: Record<string, string> = { ...earlier };
    const progress = (): SmsProgress => ({ reference, total: parts.length, accepted: { ...accepted } });
    try {
      const session = await this.ready();
      for (const [i, part] of parts.entries()) {
        const seq = String(i + 1);
        if (!accepted[seq]) accepted[seq] = await this.submit(session, message.recipient, part);
      }
    } catch (error) {
      // The parts accepted so far go with the error; whether to retry stays as the error said (a bug is not retried).
      const permanent = error instanceof DeliveryError ? error.permanent : !(error instanceof Error && 'code' in error);
      throw new DeliveryError(describeError(error), permanent, progress());
    }
    return { providerRefs: parts.map((_, i) => accepted[String(i + 1)] ?? '') };
  }

  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.reconnectTimer);
    const session = this.session;
    this.session = undefined;
    if (!session) return;
    await new Promise<void>((resolve) => {
      const done = setTimeout(() => session.destroy(() => resolve()), 1_000);
      done.unref();
      const sent =
        this.bound &&
        session.unbind({}, () =>
          session.close(() => {
            clearTimeout(done);
            resolve();
          }),
        );
      if (!sent)
        session.destroy(() => {
          clearTimeout(done);
          resolve();
        });
    });
  }

  private get idForm() {
    return this.config.smppReceiptIdForm ?? 'same';
  }

  private connect(): void {
    this.reconnectTimer = undefined;
    const { host, port, tls } = this.address;
    const session = smpp.connect({ host, port, tls, auto_enquire_link_period: this.keepAliveMs });
    this.session = session;
    session.on(tls ? 'secureConnect' : 'connect', () => this.bind(session));
    session.on('error', (error: Error) =>
      this.log.warn({ transport: 'smpp', err: { message: error.message } }, 'SMSC connection error'),
    );
    session.on('close', () => this.lost(session));
    session.on('enquire_link', (pdu: smpp.PDU) => session.send(pdu.response()));
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      this.receipt(pdu);
    });
  }

  private bind(session: smpp.Session): void {
    const credentials = { system_id: this.address.systemId, password: this.address.password };
    session.bind_transceiver({ ...credentials, interface_version: INTERFACE_VERSION }, (pdu) => {
      if (pdu.command_status !== 0) {
        this.log.error({ transport: 'smpp', status: pdu.command_status }, 'SMSC refused bind_transceiver');
        session.destroy();
        return;
      }
      this.bound = true;
      this.reconnectMs = 500;
      this.log.info(
        { transport: 'smpp', host: this.address.host, port: this.address.port },
        'SMSC bound (transceiver)',
      );
      for (const wake of this.bindWaiters) wake();
      this.bindWaiters.clear();
      for (const ready of this.readyHandlers) ready();
    });
  }

  /** The connection is gone: fail what is in flight (the outbox retries it) and reconnect with backoff. */
  private lost(session: smpp.Session): void {
    if (this.session === session) this.session = undefined;
    this.bound = false;
    for (const fail of this.inFlight) fail(new DeliveryError('SMSC connection closed'));
    this.inFlight.clear();
    // Whoever waits for a bind learns now that this connection will not bring one.
    for (const wake of this.bindWaiters) wake();
    this.bindWaiters.clear();
    if (this.closed) return;
    this.reconnectTimer = setTimeout(() => this.connect(), this.reconnectMs);
    this.reconnectTimer.unref();
    this.reconnectAt = Date.now() + this.reconnectMs;
    this.reconnectMs = Math.min(this.reconnectMs * 2, MAX_RECONNECT_MS);
  }

  private async ready(): Promise<smpp.Session> {
    if (this.closed) throw new DeliveryError('SMPP transport closed');
    if (!this.bound && this.reconnectTimer) {
      // The SMSC was unreachable a moment ago: fail now rather than hold a worker; the bind wakes the message.
      const inS = Math.max(0, Math.ceil((this.reconnectAt - Date.now()) / 1000));
      throw new DeliveryError(`SMSC ${this.address.host}:${this.address.port} not reachable; reconnecting in ${inS} s`);
    }
    if (!this.bound) {
      this.warm();
      await new Promise<void>((resolve) => {
        const timer = setTimeout(() => {
          this.bindWaiters.delete(wake);
          resolve();
        }, BIND_WAIT_MS);
        timer.unref();
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        this.bindWaiters.add(wake);
      });
    }
    if (!this.bound || !this.session)
      throw new DeliveryError(`SMSC ${this.address.host}:${this.address.port} not reachable or not bound`);
    return this.session;
  }

  private submit(session: smpp.Session, recipient: string, part: SmsPart): Promise<string> {
    const source = this.config.smppSourceAddr;
    const alphanumeric = /\D/.test(source);
    const international = recipient.startsWith('+');
    return new Promise<string>((resolve, reject) => {
      const fail = (error: Error) => {
        clearTimeout(timer);
        this.inFlight.delete(fail);
        reject(error);
      };
      const timer = setTimeout(() => fail(new DeliveryError('SMSC did not answer submit_sm')), SUBMIT_TIMEOUT_MS);
      timer.unref();
      this.inFlight.add(fail);
      const sent = session.submit_sm(
        {
          source_addr_ton: alphanumeric ? 5 : 1,
          source_addr_npi: alphanumeric ? 0 : 1,
          source_addr: source,
          dest_addr_ton: international ? 1 : 0,
          dest_addr_npi: 1,
          destination_addr: international ? recipient.slice(1) : recipient,
          esm_class: part.udh ? 0x40 : 0,
          registered_delivery: 1,
          data_coding: 8,
          short_message: part.udh ? Buffer.concat([part.udh, part.body]) : part.body,
        },
        (pdu) => {
          clearTimeout(timer);
          this.inFlight.delete(fail);
          const id = typeof pdu.message_id === 'string' ? pdu.message_id : '';
          if (pdu.command_status === 0 && id) return resolve(submittedKey(id, this.idForm));
          const status = pdu.command_status;
          const name = STATUS_NAMES[status] ? ` (${STATUS_NAMES[status]})` : '';
          const reason = `submit_sm refused with status 0x${status.toString(16)}${name}`;
          reject(new DeliveryError(reason, PERMANENT_STATUSES.has(status)));
        },
      );
      if (!sent) fail(new DeliveryError('SMSC connection not writable'));
    });
  }

  private receipt(pdu: smpp.PDU): void {
    const esm = typeof pdu.esm_class === 'number' ? pdu.esm_class : 0;
    if ((esm & RECEIPT_ESM_MASK) !== 0x04) return; // a mobile-originated message: nothing to do with it
    const short = pdu.short_message as { message?: unknown } | undefined;
    const text = typeof short?.message === 'string' ? short.message : '';
    const ref = typeof pdu.receipted_message_id === 'string' ? pdu.receipted_message_id : /id:(\S+)/i.exec(text)?.[1];
    const stateNo = typeof pdu.message_state === 'number' ? pdu.message_state : undefined;
    const state =
      (stateNo !== undefined ? MESSAGE_STATES[stateNo] : undefined) ?? /stat:(\w+)/i.exec(text)?.[1]?.toUpperCase();
    if (!ref || !state || !this.receipts) return;
    this.receipts(receiptKey(ref, this.idForm), state).catch((error: unknown) =>
      this.log.error(
        { transport: 'smpp', err: { message: error instanceof Error ? error.message : String(error) } },
        'delivery receipt not recorded',
      ),
    );
  }
}
