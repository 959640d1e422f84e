import { runCreatePerson } from './create-person.js';

const HELP = `refundkey admin create --login L — create a platform admin (平台管理员)

The password is never a flag (it would stay in shell history and in the process list): it is read from
REFUNDKEY_ADMIN_PASSWORD, or asked on the terminal (typed twice, not shown), or read as the first line of standard
input when that is not a terminal. 12-128 characters, not a common password.

Options:
  --login <id>           the admin's login id
  --name <name>          shown in the audit log (default: the login id)
  --database-url <url>   same database as 'serve' (env DATABASE_URL)
  -h, --help

Next: sign in at POST /v1/auth/login and create merchants (POST /v1/merchants).`;

/** `refundkey admin create --login L`. */
export function runAdmin(argv: string[]): Promise<number> {
  return runCreatePerson(argv, {
    help: HELP,
    passwordEnv: 'REFUNDKEY_ADMIN_PASSWORD',
    create: (app, person) => app.services.provisioning.createPlatformAdmin(person),
    created: '平台管理员已创建 / platform admin created',
  });
}
