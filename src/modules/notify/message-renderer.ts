import { type MessageDirectory, withNames } from './message-directory.js';
import type { OutboxService } from './outbox.service.js';
import type { OutboxRow } from './outbox.table.js';
import { type RenderedMessage, renderMessage } from './templates.js';

/**
 * A queued message as its recipient reads it: the outbox's parameters (secrets opened), with the store, terminal and
 * operator named through the directory, signed with SMS_SIGNATURE. Built by the composition root once the modules that
 * own those names exist, and handed to the delivery worker and the development outbox; nothing is set afterwards.
 */
export class MessageRenderer {
  constructor(
    private readonly outbox: OutboxService,
    private readonly directory: MessageDirectory,
    readonly signature: string | undefined,
  ) {}

  /** The template parameters a transport renders: secrets opened, ids named. */
  parameters(row: OutboxRow): Promise<Record<string, unknown>> {
    return withNames(this.outbox.parameters(row), this.directory);
  }

  /** The texts themselves (the development outbox shows what the transports send). */
  async render(row: OutboxRow): Promise<RenderedMessage> {
    return renderMessage(row.template, row.locale, await this.parameters(row), { signature: this.signature });
  }
}
