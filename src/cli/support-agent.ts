import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { createSupportAgent } from '../modules/support/support-agents.js';
import { withQuietApp } from './with-app.js';

const HELP = `refundkey support-agent create --login L — create a support agent (客服)

The password is never a flag: it is read from REFUNDKEY_SUPPORT_PASSWORD, or asked on the terminal (typed twice, not
shown), or read as the first line of standard input when that is not a terminal. 12-128 characters, not a common
password. The agent enrols a second factor at the first sign-in.

Options:
  --login <id>           the agent's login id
  --name <name>          shown in the audit log (default: the login id)
  --database-url <url>   same database as 'serve' (env DATABASE_URL)
  -h, --help`;

/** `refundkey support-agent create --login L`. */
export async function runSupportAgent(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'create') {
    console.error(sub && sub !== '--help' && sub !== '-h' ? `unknown subcommand: ${sub}\n\n${HELP}` : HELP);
    return sub === '--help' || sub === '-h' ? 0 : 2;
  }
  if (rest.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    console.error(
      '密码不能作为参数 / the password is never a flag: set REFUNDKEY_SUPPORT_PASSWORD or type it when asked',
    );
    return 2;
  }
  const { values: flags } = parseArgs({
    args: rest,
    options: {
      login: { type: 'string' },
      name: { type: 'string' },
      'database-url': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (flags.help) {
    console.log(HELP);
    return 0;
  }
  const login = flags.login?.trim();
  if (!login) {
    console.error('--login <id> is required');
    return 2;
  }
  const password = await readPassword();
  if (password === undefined) return 2;
  return withQuietApp(flags['database-url'], async (app) => {
    const { staff, audit, database } = app.services;
    const agent = await createSupportAgent(
      { db: database.db, staff, audit },
      { login, name: flags.name ?? login, password },
    );
    console.log(`客服已创建 / support agent created: ${agent.login} (${agent.id})`);
    return 0;
  });
}

async function readPassword(): Promise<string | undefined> {
  const fromEnv = process.env.REFUNDKEY_SUPPORT_PASSWORD;
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    const line = await new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, terminal: false });
      let got: string | undefined;
      rl.once('line', (l) => {
        got = l;
        rl.close();
      });
      rl.once('close', () => resolve(got ?? ''));
    });
    if (!line) console.error('no password: set REFUNDKEY_SUPPORT_PASSWORD or type it on a terminal');
    return line || undefined;
  }
  const first = await askHidden('密码 / Password: ');
  const again = await askHidden('再次输入 / Again: ');
  if (first !== again) {
    console.error('两次输入不一致 / the two entries differ');
    return undefined;
  }
  return first;
}

function askHidden(prompt: string): Promise<string> {
  process.stderr.write(prompt);
  const muted = new Writable({ write: (_chunk, _encoding, done) => done() });
  const rl = createInterface({ input: process.stdin, output: muted, terminal: true });
  return new Promise((resolve) => {
    rl.question('', (answer) => {
      rl.close();
      process.stderr.write('\n');
      resolve(answer);
    });
  });
}
