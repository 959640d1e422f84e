import type { AddressInfo } from 'node:net';
import * as smpp from 'smpp';
import type { ReceiptIdForm } from '../../../src/modules/notify/transports/receipt-ids.js';

// Bind failed (SMPP 3.4 §5.1.3); the package's named constants are not visible through Node's ESM import of it.
const ESME_RBINDFAIL = 0x0d;
const ESME_RTHROTTLED = 0x58;

/** One submit_sm as the SMSC decoded it. */
export interface ReceivedPart {
  systemId: string;
  source: string;
  destination: string;
  dataCoding: number;
  esmClass: number;
  /** The concatenation element [ref, total, seq] when the part carries one (IEI 0x00). */
  concat: { ref: number; total: number; seq: number } | null;
  text: string;
  messageId: string;
}

/** A whole SMS as the handset would show it: its parts joined in sequence order. */
export interface ReceivedSms {
  destination: string;
  text: string;
  parts: ReceivedPart[];
}

/** How this SMSC writes message ids: in submit_sm_resp, and (for `receiptIds`) in its delivery receipts. */
export interface SmscOptions {
  credentials?: { systemId: string; password: string };
  /**
   * `same`: ids like smsc-7 everywhere; `decimal`: hex ids in submit_sm_resp, decimal in receipts (Kannel msg-id-type
   * 0x01); `hex`: decimal ids in submit_sm_resp, hex in receipts (0x02).
   */
  receiptIds?: ReceiptIdForm;
}

/** A real SMPP server (the smpp package's) on 127.0.0.1 acting as an SMSC: binds, takes submit_sm, sends receipts. */
export class FakeSmsc {
  readonly parts: ReceivedPart[] = [];
  /** Parts refused with ESME_RTHROTTLED (0x58): not accepted, not billed. */
  readonly throttled: ReceivedPart[] = [];
  /** interface_version of every bind_transceiver received. */
  readonly bindVersions: number[] = [];
  binds = 0;
  enquireLinks = 0;
  port = 0;
  private server: smpp.Server | undefined;
  private bound: smpp.Session | undefined;
  private seq = 0;
  private readonly credentials: { systemId: string; password: string };
  private readonly receiptIds: ReceiptIdForm;
  private throttle: ((part: ReceivedPart) => boolean) | undefined;

  constructor({ credentials, receiptIds = 'same' }: SmscOptions = {}) {
    this.credentials = credentials ?? { systemId: 'refundkey', password: 'secret12' };
    this.receiptIds = receiptIds;
  }

  /** Forget every part received or throttled, and a throttle not used up: for the next test of a shared SMSC. */
  forget(): void {
    this.parts.length = 0;
    this.throttled.length = 0;
    this.throttle = undefined;
  }

  /** Refuse the next submit_sm that matches with 0x58 (throttled), once; later submits are accepted again. */
  throttleOnce(match: (part: ReceivedPart) => boolean): void {
    this.throttle = match;
  }

  /** The id this SMSC's receipts carry for a message id it gave in submit_sm_resp. */
  receiptIdOf(messageId: string): string {
    if (this.receiptIds === 'decimal') return BigInt(`0x${messageId}`).toString(10);
    if (this.receiptIds === 'hex') return BigInt(messageId).toString(16).toUpperCase();
    return messageId;
  }

  async start(port = 0): Promise<void> {
    const server = smpp.createServer((session) => this.serve(session));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as AddressInfo).port;
  }

  /** Stop listening and drop every connection, like an SMSC going down. */
  async stop(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    this.bound = undefined;
    if (!server) return;
    for (const session of [...server.sessions]) session.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  get url(): string {
    return `smpp://${this.credentials.systemId}:${this.credentials.password}@127.0.0.1:${this.port}`;
  }

  /** Whole messages, parts joined by their concatenation headers. */
  messages(): ReceivedSms[] {
    const groups = new Map<string, ReceivedPart[]>();
    for (const part of this.parts) {
      const key = part.concat
        ? `${part.destination}/${part.concat.ref}/${part.concat.total}`
        : `${part.destination}/single/${part.messageId}`;
      groups.set(key, [...(groups.get(key) ?? []), part]);
    }
    return [...groups.values()].map((parts) => {
      const sorted = [...parts].sort((a, b) => (a.concat?.seq ?? 0) - (b.concat?.seq ?? 0));
      return { destination: sorted[0]?.destination ?? '', text: sorted.map((p) => p.text).join(''), parts: sorted };
    });
  }

  /** Send a delivery receipt (deliver_sm with esm_class 0x04) for a message id the SMSC gave out. */
  sendReceipt(messageId: string, stat = 'DELIVRD'): void {
    const session = this.bound;
    if (!session) throw new Error('no bound session');
    const id = this.receiptIdOf(messageId);
    session.deliver_sm({
      source_addr: '13800001234',
      destination_addr: 'refundkey',
      esm_class: 0x04,
      data_coding: 0,
      short_message: `id:${id} sub:001 dlvrd:001 submit date:2611251000 done date:2611251000 stat:${stat} err:000 text:`,
      receipted_message_id: id,
      message_state: stat === 'DELIVRD' ? 2 : 5,
    });
  }

  private serve(session: smpp.Session): void {
    let systemId = '';
    session.on('bind_transceiver', (pdu: smpp.PDU) => {
      if (pdu.system_id !== this.credentials.systemId || pdu.password !== this.credentials.password) {
        session.send(pdu.response({ command_status: ESME_RBINDFAIL }));
        session.close();
        return;
      }
      systemId = String(pdu.system_id);
      this.bindVersions.push(Number(pdu.interface_version));
      this.binds += 1;
      this.bound = session;
      session.send(pdu.response());
    });
    session.on('enquire_link', (pdu: smpp.PDU) => {
      this.enquireLinks += 1;
      session.send(pdu.response());
    });
    session.on('unbind', (pdu: smpp.PDU) => {
      session.send(pdu.response());
      session.close();
    });
    session.on('deliver_sm_resp', () => {});
    session.on('error', () => {});
    session.on('submit_sm', (pdu: smpp.PDU) => {
      const messageId = this.nextMessageId();
      const short = pdu.short_message as { udh?: Buffer[]; message?: unknown };
      const element = short.udh?.find((ie) => ie[0] === 0x00);
      const part: ReceivedPart = {
        systemId,
        source: String(pdu.source_addr),
        destination: String(pdu.destination_addr),
        dataCoding: Number(pdu.data_coding),
        esmClass: Number(pdu.esm_class),
        concat: element ? { ref: element[2] ?? -1, total: element[3] ?? -1, seq: element[4] ?? -1 } : null,
        text: typeof short.message === 'string' ? short.message : '',
        messageId,
      };
      if (this.throttle?.(part)) {
        this.throttle = undefined;
        this.throttled.push(part);
        session.send(pdu.response({ command_status: ESME_RTHROTTLED }));
        return;
      }
      this.parts.push(part);
      session.send(pdu.response({ message_id: messageId }));
    });
  }

  private nextMessageId(): string {
    const n = ++this.seq;
    // Hex ids with letters in them, and decimal ids past 32 bits, as real SMSCs give them.
    if (this.receiptIds === 'decimal') return (0xa3f0_0000 + n).toString(16).toUpperCase();
    if (this.receiptIds === 'hex') return String(5_000_000_000 + n);
    return `smsc-${n}`;
  }
}

/** A port for a peer started later on a known address: see quietPort (test/support/ports.ts). */
export { quietPort as freePort } from '../../support/ports.js';
