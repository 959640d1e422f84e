import { createInterface } from 'node:readline';
import { Writable } from 'node:stream';
import { parseArgs } from 'node:util';
import { AppError } from '../lib/errors.js';
import type { Texts } from '../lib/i18n.js';
import { type CommandApp, withQuietApp } from './with-app.js';

/** What differs between `refundkey admin create` and `refundkey support-agent create`. */
export interface CreatePersonCommand {
  help: string;
  /** The environment variable the password may come from (it is never a flag). */
  passwordEnv: string;
  create(
    app: CommandApp,
    person: { login: string; name: string; password: string },
  ): Promise<{ login: string; id: string }>;
  /** The line printed once created, e.g. "平台管理员已创建 / platform admin created". */
  created: string;
}

/**
 * `refundkey <kind> create --login L`: a platform-level person (admin, support agent) whose password is never a flag
 * (it would stay in shell history and in the process list): it comes from the environment, the terminal (typed twice,
 * hidden) or the first line of standard input.
 */
export async function runCreatePerson(argv: string[], command: CreatePersonCommand): Promise<number> {
  const { help, passwordEnv } = command;
  const [sub, ...rest] = argv;
  if (sub !== 'create') {
    console.error(sub && sub !== '--help' && sub !== '-h' ? `unknown subcommand: ${sub}\n\n${help}` : help);
    return sub === '--help' || sub === '-h' ? 0 : 2;
  }
  if (rest.some((arg) => arg === '--password' || arg.startsWith('--password='))) {
    console.error(`密码不能作为参数 / the password is never a flag: set ${passwordEnv} or type it when asked`);
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
    console.log(help);
    return 0;
  }
  const login = flags.login?.trim();
  if (!login) {
    console.error('--login <id> is required');
    return 2;
  }
  const password = await readPassword(passwordEnv);
  if (password === undefined) return 2;
  return withQuietApp(flags['database-url'], async (app) => {
    const person = await command.create(app, { login, name: flags.name ?? login, password }).catch((error: unknown) => {
      // A weak password: say why, line by line, before the code and message.
      const reasons = error instanceof AppError ? error.extra.reasons : undefined;
      if (Array.isArray(reasons)) {
        for (const r of reasons as Array<{ message: Texts }>) console.error(`  - ${r.message.zh} / ${r.message.en}`);
      }
      throw error;
    });
    console.log(`${command.created}: ${person.login} (${person.id})`);
    return 0;
  });
}

/** The password from the environment, the terminal (twice, hidden) or standard input; undefined after a message. */
async function readPassword(passwordEnv: string): Promise<string | undefined> {
  const fromEnv = process.env[passwordEnv];
  if (fromEnv) return fromEnv;
  if (!process.stdin.isTTY) {
    const line = await firstLine();
    if (!line) console.error(`no password: set ${passwordEnv} or type it on a terminal`);
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

function firstLine(): Promise<string> {
  return new Promise((resolve) => {
    const rl = createInterface({ input: process.stdin, terminal: false });
    let got: string | undefined;
    rl.once('line', (line) => {
      got = line;
      rl.close();
    });
    rl.once('close', () => resolve(got ?? ''));
  });
}

/** Ask on the terminal without echoing what is typed. */
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
