import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { toIso } from '../../lib/clock.js';
import type { MessageRenderer } from './message-renderer.js';
import type { OutboxService } from './outbox.service.js';
import type { OutboxRow } from './outbox.table.js';

const DevMessage = z.object({
  id: z.string(),
  channel: z.enum(['sms', 'email', 'webhook']),
  to: z.string(),
  template: z.string(),
  locale: z.string(),
  status: z.enum(['queued', 'sending', 'sent', 'delivered', 'failed']),
  attempts: z.number(),
  last_error: z.string().nullable(),
  created_at: z.string(),
  subject: z.string().nullable(),
  text: z.string().nullable(),
  /** The one-time code in the message, while it has not been erased (development only). */
  code: z.string().nullable(),
  params: z.record(z.string(), z.unknown()),
});

/**
 * GET /dev/outbox?to=...: the messages to a recipient with their rendered text, codes visible. Registered only
 * outside production (server.ts checks config.env), so that demos and tests can read one-time codes.
 */
export function devOutboxRoutes(outbox: OutboxService, messages: MessageRenderer): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/dev/outbox',
      {
        config: { auth: 'public' },
        schema: {
          hide: true,
          querystring: z.object({
            to: z.string().min(1).max(320).optional(),
            limit: z.coerce.number().int().min(1).max(500).default(50),
          }),
          response: { 200: z.object({ messages: z.array(DevMessage) }) },
        },
      },
      async (request) => {
        const rows = await outbox.listFor(request.query.to, request.query.limit);
        return { messages: await Promise.all(rows.map((row) => view(outbox, messages, row))) };
      },
    );
  };
}

async function view(
  outbox: OutboxService,
  messages: MessageRenderer,
  row: OutboxRow,
): Promise<z.infer<typeof DevMessage>> {
  const params = outbox.parameters(row);
  let subject: string | null = null;
  let text: string | null = null;
  if (row.channel === 'webhook') {
    text = typeof params.body === 'string' ? params.body : null;
  } else {
    try {
      const rendered = await messages.render(row);
      subject = row.channel === 'email' ? rendered.subject : null;
      text = row.channel === 'email' ? rendered.text : rendered.sms;
    } catch {
      text = null; // an unknown template: listed, not rendered
    }
  }
  return {
    id: row.id,
    channel: row.channel,
    to: row.recipient,
    template: row.template,
    locale: row.locale,
    status: row.status,
    attempts: row.attempts,
    last_error: row.last_error,
    created_at: toIso(row.created_at),
    subject,
    text,
    code: typeof params.code === 'string' ? params.code : null,
    params,
  };
}
