import { parseFlags } from './flags.js';
import { withQuietApp } from './with-app.js';

const HELP = `refundkey demo — create a fresh demo merchant (owner, manager, refund key, 2 stores, terminals, operators)

Options:
  --json                 print exactly one JSON object (docs/api.md "Bootstrapping")
  --database-url <url>   same database as 'serve' (env DATABASE_URL)
  -h, --help`;

export async function runDemo(argv: string[]): Promise<number> {
  const flags = parseFlags(argv, { json: { type: 'boolean' }, 'database-url': { type: 'string' } }, HELP);
  if (!flags) return 0;
  return withQuietApp(flags['database-url'], async (app) => {
    const demo = await app.services.demo.createDemoMerchant();
    if (flags.json) {
      process.stdout.write(`${JSON.stringify(demo)}\n`);
    } else {
      console.log(`演示商户 Demo merchant ${demo.merchant_id}`);
      console.log(`  店主 owner:     ${demo.owner.login} / ${demo.owner.password}  TOTP ${demo.owner.totp_secret}`);
      console.log(
        `  主管 manager:   ${demo.manager.login} / ${demo.manager.password}  TOTP ${demo.manager.totp_secret}`,
      );
      console.log(`  退款密钥 refund key: ${demo.refund_key}`);
      for (const store of demo.stores) {
        console.log(`  ${store.name} (${store.id})`);
        for (const t of store.terminals) console.log(`    terminal ${t.id}  activation code ${t.activation_code}`);
        for (const o of store.operators) console.log(`    operator ${o.operator_no} / ${o.password}`);
      }
    }
    return 0;
  });
}
