import { AppError } from '../lib/errors.js';
import { parseFlags } from './flags.js';
import { withQuietApp } from './with-app.js';

const HELP = `refundkey terminals reissue-code — a fresh activation code for a terminal (valid 7 days)

The terminal's previous activation code stops working. The device activated with it keeps its key until the new code is
used: then the new device gets the terminal, and the old key stops working.

Options:
  --terminal <trm_…>     the terminal (ids are in data/demo-credentials.json for the demo, or the back office)
  --json                 print {"terminal_id", "activation_code"}
  --database-url <url>   same database as 'serve' (env DATABASE_URL)
  -h, --help`;

/** `refundkey terminals reissue-code --terminal trm_…`. */
export async function runTerminals(argv: string[]): Promise<number> {
  const [sub, ...rest] = argv;
  if (sub !== 'reissue-code') {
    console.error(sub && sub !== '--help' && sub !== '-h' ? `unknown subcommand: ${sub}\n\n${HELP}` : HELP);
    return sub === '--help' || sub === '-h' ? 0 : 2;
  }
  const flags = parseFlags(
    rest,
    { terminal: { type: 'string' }, json: { type: 'boolean' }, 'database-url': { type: 'string' } },
    HELP,
  );
  if (!flags) return 0;
  const terminalId = flags.terminal as string | undefined;
  if (!terminalId) {
    console.error('--terminal <trm_…> is required');
    return 2;
  }
  return withQuietApp(flags['database-url'] as string | undefined, async (app) => {
    const terminal = await app.services.terminals.findTerminal(terminalId);
    if (!terminal) throw new AppError(404, 'TERMINAL_NOT_FOUND', `no terminal ${terminalId}`);
    const code = await app.services.terminals.reissueActivationCode(terminal.id);
    if (flags.json) process.stdout.write(`${JSON.stringify({ terminal_id: terminal.id, activation_code: code })}\n`);
    else console.log(`终端 terminal ${terminal.id}: 新激活码 new activation code ${code} (valid 7 days)`);
    return 0;
  });
}
