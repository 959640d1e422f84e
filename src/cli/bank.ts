import { parseArgs } from 'node:util';
import { withQuietApp } from './with-app.js';

const HELP = `refundkey bank — partner banks (合作银行) for bank-assisted resets

  refundkey bank create --name N [--merchant mch_…]...
      register a bank and print its API credential (key id and secret) ONCE; with --merchant, each merchant named
      settles to it (only a merchant's settlement bank may ask for its resets)
  refundkey bank settle --bank bnk_… --merchant mch_…...
      make the bank the settlement bank of the merchants named

Options:
  --name <name>          the bank's name (1-100 characters)
  --bank <id>            an existing bank (bnk_…)
  --merchant <id>        a merchant (mch_…); repeat for several
  --database-url <url>   same database as 'serve' (env DATABASE_URL)
  -h, --help

The secret is kept only sealed in the database and cannot be shown again; the bank signs its requests with it
(docs/api.md "Partner banks"). Both actions are written to the audit log (actor: system, origin: cli).`;

const BY = { actor: { type: 'system' as const }, origin: 'cli' };

/** `refundkey bank create|settle`: the command-line way to do what an admin does with POST /v1/banks. */
export async function runBank(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create' && sub !== 'settle') {
    const asked = sub === undefined || sub === '--help' || sub === '-h';
    (asked ? console.log : console.error)(asked ? HELP : `unknown subcommand: ${sub}\n\n${HELP}`);
    return asked && sub !== undefined ? 0 : 2;
  }
  const { values: flags } = parseArgs({
    args: rest,
    options: {
      name: { type: 'string' },
      bank: { type: 'string' },
      merchant: { type: 'string', multiple: true },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const merchants = flags.merchant ?? [];
  const name = flags.name?.trim();
  if (sub === 'create' && (!name || name.length > 100)) {
    console.error('--name <name> is required (1-100 characters)');
    return 2;
  }
  if (sub === 'settle' && (!flags.bank || merchants.length === 0)) {
    console.error('--bank <id> and at least one --merchant <id> are required');
    return 2;
  }
  return withQuietApp(flags['database-url'], async (app) => {
    const { banks } = app.services;
    let bankId = flags.bank ?? '';
    if (sub === 'create') {
      const issued = await banks.register(BY, name ?? '');
      bankId = issued.bank.id;
      console.log(`合作银行已登记 / partner bank registered: ${issued.bank.name} (${bankId})`);
      console.log(`key id: ${issued.keyId}`);
      console.log(`secret: ${issued.secret}`);
      console.log('密钥只显示这一次 / the secret is shown this once');
    }
    for (const merchantId of merchants) {
      await banks.setSettlementBank(BY, merchantId, bankId);
      console.log(`结算银行已设置 / settlement bank set: ${merchantId} → ${bankId}`);
    }
    return 0;
  });
}
