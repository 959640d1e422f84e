import { DeliveryError, type OutgoingMessage, type SendResult, type Transport } from './transport.js';

/**
 * The channel of a server outside development that has no real peer for it: nothing is handed anywhere, so nothing
 * is ever marked sent. Messages wait in the outbox (with this reason) for a server that has the transport.
 */
export class UnconfiguredTransport implements Transport {
  readonly name: string;

  constructor(
    private readonly channel: 'email' | 'sms',
    private readonly variable: string,
  ) {
    this.name = `none-${channel}`;
  }

  async send(_message: OutgoingMessage): Promise<SendResult> {
    throw new DeliveryError(`no ${this.channel} transport: set ${this.variable}`);
  }

  async close(): Promise<void> {}
}
