import { parseFlags } from './flags.js';
import { withQuietApp } from './with-app.js';

const HELP = `refundkey webhooks — webhook endpoints of a merchant (until the back office has its own page)

Usage:
  refundkey webhooks add --merchant <mch_id> --url <https://...> [--events refund.succeeded,refund.canceled] [--description text]
  refundkey webhooks list --merchant <mch_id>
  refundkey webhooks deliveries --merchant <mch_id> --endpoint <whe_id>
  refundkey webhooks disable --merchant <mch_id> --endpoint <whe_id>

'add' prints the signing secret once; it is stored sealed and cannot be shown again.
Events: sale.succeeded refund.created refund.requires_authorization refund.succeeded refund.canceled refund.expired
settlement.closed (default: all).

Options:
  --database-url <url>   same database as 'serve' (env DATABASE_URL)
  -h, --help`;

const OPTIONS = {
  merchant: { type: 'string' },
  url: { type: 'string' },
  events: { type: 'string' },
  description: { type: 'string' },
  endpoint: { type: 'string' },
  'database-url': { type: 'string' },
} as const;

/** `refundkey webhooks add|list|deliveries|disable`. */
export async function runWebhooks(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  const flags = parseFlags(rest, OPTIONS, HELP);
  if (!flags) return 0;
  const merchant = flags.merchant;
  if (!sub || !['add', 'list', 'deliveries', 'disable'].includes(sub) || !merchant) {
    console.error(HELP);
    return 2;
  }
  return withQuietApp(flags['database-url'], async (app) => {
    const webhooks = app.services.webhooks;
    if (sub === 'add') {
      const created = await webhooks.createEndpoint({
        merchantId: merchant,
        url: flags.url ?? '',
        ...(flags.events ? { events: flags.events.split(',').map((e) => e.trim()) } : {}),
        ...(flags.description ? { description: flags.description } : {}),
      });
      console.log(JSON.stringify(created, null, 2));
    } else if (sub === 'list') {
      console.log(JSON.stringify(await webhooks.listEndpoints(merchant), null, 2));
    } else if (sub === 'deliveries') {
      console.log(JSON.stringify(await webhooks.deliveries(merchant, flags.endpoint ?? ''), null, 2));
    } else {
      await webhooks.disableEndpoint(merchant, flags.endpoint ?? '');
      console.log('已停用 / disabled');
    }
    return 0;
  });
}
