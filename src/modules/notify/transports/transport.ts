/** One message handed to a transport; `params` include opened secrets, so a transport never logs them. */
export interface OutgoingMessage {
  /** Stable across retries: the outbox id (Message-ID header, SMS reference, webhook delivery id). */
  id: string;
  channel: 'sms' | 'email' | 'webhook';
  recipient: string;
  template: string;
  locale: string;
  params: Record<string, unknown>;
  /** 1 for the first try. */
  attempt: number;
  /** SMS only: the concatenation reference and the parts an earlier attempt already got accepted. */
  sms?: SmsProgress;
}

/**
 * How far an SMS got, kept between attempts: the concatenation reference it uses on every attempt (so the handset
 * joins parts sent on different attempts), the number of parts, and the SMSC's id of each part it accepted.
 */
export interface SmsProgress {
  reference: number;
  /** Parts of the text when the progress was recorded; a text that now splits otherwise starts over. */
  total: number | null;
  /** Part number (1-based) → the SMSC's message_id. */
  accepted: Record<string, string>;
}

export interface SendResult {
  /** What the peer calls it: SMTP Message-ID, SMSC message_id of every part, HTTP status. */
  providerRefs: string[];
  /** The development transport keeps the sealed secret so that /dev/outbox can still show it. */
  keepSecret?: boolean;
}

/** A delivery receipt from the SMSC: the SMSC's message_id and the final state (DELIVRD, UNDELIV, ...). */
export type ReceiptHandler = (ref: string, state: string) => Promise<void>;

/** A way out: SMTP, SMPP, an HTTP SMS gateway later, webhooks, or the development outbox. */
export interface Transport {
  readonly name: string;
  send(message: OutgoingMessage): Promise<SendResult>;
  /** Start connecting in the background (an SMSC session also brings receipts in). */
  warm?(): void;
  onReceipt?(handler: ReceiptHandler): void;
  /** Called each time the peer becomes reachable again (an SMSC bind), so waiting messages need not wait longer. */
  onReady?(handler: () => void): void;
  close(): Promise<void>;
}

/**
 * A failed send; `permanent` errors are not retried (a rejected address, an unknown template). `progress` says which
 * SMS parts were accepted before the failure, so that the next attempt sends only the others.
 */
export class DeliveryError extends Error {
  constructor(
    message: string,
    readonly permanent = false,
    readonly progress?: SmsProgress,
  ) {
    super(message);
    this.name = 'DeliveryError';
  }
}

/** A short, secret-free description of an error for last_error and the log. */
export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return `${typeof code === 'string' ? `${code}: ` : ''}${error.message}`.slice(0, 300);
  }
  return String(error).slice(0, 300);
}
