import { createSupportAgent } from '../modules/support/support-agents.js';
import { runCreatePerson } from './create-person.js';

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
export function runSupportAgent(argv: string[]): Promise<number> {
  return runCreatePerson(argv, {
    help: HELP,
    passwordEnv: 'REFUNDKEY_SUPPORT_PASSWORD',
    create: (app, person) => {
      const { staff, audit, database } = app.services;
      return createSupportAgent({ db: database.db, staff, audit }, person);
    },
    created: '客服已创建 / support agent created',
  });
}
