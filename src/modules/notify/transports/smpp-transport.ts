import type pino from 'pino';
import * as smpp from 'smpp';
import type { NotifyConfig } from '../notify.config.js';
import { renderMessage } from '../templates.js';
import { concatReference, type SmsPart, splitUcs2 } from './sms-parts.js';
import {
  DeliveryError,
  type OutgoingMessage,
  type ReceiptHandler,
  type SendResult,
  type Transport,
} from './transport.js';

type SmppSettings = Pick<
  NotifyConfig,
  'smppUrl' | 'smppHost' | 'smppPort' | 'smppSystemId' | 'smppPassword' | 'smppSourceAddr'
>;

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
const PERMANENT_STATUSES = new Set([0x0a /* invalid source */, 0x0b /* invalid destination */]);
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

  warm(): void {
    if (!this.closed && !this.session && !this.reconnectTimer) this.connect();
  }

  async send(message: OutgoingMessage): Promise<SendResult> {
    const text = renderMessage(message.template, message.locale, message.params).sms;
    const parts = splitUcs2(text, concatReference(message.id));
    const session = await this.ready();
    const refs: string[] = [];
    for (const part of parts) refs.push(await this.submit(session, message.recipient, part));
    return { providerRefs: refs };
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
    session.bind_transceiver({ system_id: this.address.systemId, password: this.address.password }, (pdu) => {
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
    this.reconnectMs = Math.min(this.reconnectMs * 2, MAX_RECONNECT_MS);
  }

  private async ready(): Promise<smpp.Session> {
    if (this.closed) throw new DeliveryError('SMPP transport closed');
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
          if (pdu.command_status === 0 && id) return resolve(id);
          const status = pdu.command_status;
          reject(
            new DeliveryError(`submit_sm refused with status 0x${status.toString(16)}`, PERMANENT_STATUSES.has(status)),
          );
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
    this.receipts(ref, state).catch((error: unknown) =>
      this.log.error(
        { transport: 'smpp', err: { message: error instanceof Error ? error.message : String(error) } },
        'delivery receipt not recorded',
      ),
    );
  }
}
