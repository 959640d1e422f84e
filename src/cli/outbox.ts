import { parseFlags } from './flags.js';
import { withQuietApp } from './with-app.js';

const HELP = `refundkey outbox — the message outbox (SMS, e-mail, webhooks)

Usage:
  refundkey outbox stats [--json]     counts per status, the age of the oldest queued message, and the transports
                                      (SMTP, SMPP, dev) of each server delivering them, as the servers reported
  refundkey outbox retry <msg_id>     queue a failed message again now (not a code whose secret was erased)

Options:
  --database-url <url>   same database as 'serve' (env DATABASE_URL)
  --json                 machine-readable output
  -h, --help`;

/** `refundkey outbox stats|retry`: operations on the outbox. */
export async function runOutbox(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const id = sub === 'retry' && rest[0] && !rest[0].startsWith('-') ? rest.shift() : undefined;
  const flags = parseFlags(rest, { json: { type: 'boolean' }, 'database-url': { type: 'string' } }, HELP);
  if (!flags) return 0;
  if (sub !== 'stats' && sub !== 'retry') {
    console.error(HELP);
    return 2;
  }
  if (sub === 'retry' && !id) {
    console.error('usage: refundkey outbox retry <msg_id>');
    return 2;
  }
  return withQuietApp(flags['database-url'], async (app) => {
    if (sub === 'stats') {
      const stats = await app.services.outbox.stats();
      // The servers' transports, as they reported them: this process's own environment may lack SMTP_URL/SMPP_URL.
      const servers = await app.services.outbox.servers();
      if (flags.json) {
        const transports = servers[0]?.transports ?? null;
        process.stdout.write(`${JSON.stringify({ ...stats, transports, servers })}\n`);
      } else {
        console.log('消息队列 / outbox');
        for (const [status, n] of Object.entries(stats.counts)) console.log(`  ${status.padEnd(10)} ${n}`);
        console.log(
          `  最早排队 / oldest queued: ${stats.oldest_queued_age_s === null ? '-' : `${stats.oldest_queued_age_s} s`}`,
        );
        if (servers.length === 0) {
          console.log('  发送服务 / delivering servers: none in the last 10 minutes (is `refundkey serve` running?)');
        }
        for (const s of servers) {
          const t = s.transports;
          console.log(
            `  server ${s.host} pid ${s.pid} (seen ${s.seen_s_ago} s ago): email=${t.email} sms=${t.sms} webhook=${t.webhook}`,
          );
        }
      }
      return 0;
    }
    const row = await app.services.outbox.retry(id ?? '');
    const answer = {
      id: row.id,
      status: row.status,
      attempts: row.attempts,
      give_up_at: new Date(row.give_up_at).toISOString(),
    };
    console.log(
      flags.json ? JSON.stringify(answer) : `已重新排队 / queued again: ${row.id} (attempts so far ${row.attempts})`,
    );
    return 0;
  });
}
