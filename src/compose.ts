import type pino from 'pino';
import type { AppServices } from './app-services.js';
import type { Config } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { createLogger } from './http/logger.js';
import { type Clock, systemClock } from './lib/clock.js';
import { argon2Pool, Hmac } from './lib/hashing.js';
import { cryptoRandom, type RandomSource } from './lib/random.js';
import { Sealer } from './lib/sealer.js';
import { AccountService } from './modules/account/account.service.js';
import type { Acquirer } from './modules/acquirer/acquirer.js';
import { SandboxAcquirer } from './modules/acquirer/sandbox-acquirer.js';
import { AnnouncementsService } from './modules/announcements/announcements.service.js';
import { createApplicationServices } from './modules/applications/applications.module.js';
import { AttemptLimiter } from './modules/attempts/attempts.service.js';
import { AuditService } from './modules/audit/audit.service.js';
import { AuthService } from './modules/auth/auth.service.js';
import { ApprovalsService } from './modules/authorization/approvals.service.js';
import { LockoutsService } from './modules/authorization/lockouts.service.js';
import { RefundPoliciesService } from './modules/authorization/policies.service.js';
import { RefundAuthorizationService } from './modules/authorization/refund-authorization.service.js';
import { RefundCodesService } from './modules/authorization/refund-codes.service.js';
import { BanksService } from './modules/banks/banks.service.js';
import { DemoService } from './modules/demo/demo.service.js';
import { IdempotencyService } from './modules/idempotency/idempotency.service.js';
import { InvitationsService } from './modules/invitations/invitations.service.js';
import { MerchantsService } from './modules/merchants/merchants.service.js';
import { MfaService } from './modules/mfa/mfa.service.js';
import { PasskeyService } from './modules/mfa/passkey.service.js';
import { createDelivery } from './modules/notify/create-delivery.js';
import { MessageRenderer } from './modules/notify/message-renderer.js';
import { OutboxService } from './modules/notify/outbox.service.js';
import { OperatorsService } from './modules/provisioning/operators.service.js';
import { ProvisioningService } from './modules/provisioning/provisioning.service.js';
import { StaffAdminService } from './modules/provisioning/staff-admin.service.js';
import { QrLoginService } from './modules/qr-login/qr-login.service.js';
import { RecipientsService } from './modules/recipients/recipients.service.js';
import { KeyRecoveryService } from './modules/refund-keys/key-recovery.service.js';
import { RefundKeysService } from './modules/refund-keys/refund-keys.service.js';
import { RefundLedger } from './modules/refunds/refund-ledger.js';
import { RefundsService } from './modules/refunds/refunds.service.js';
import { ReportsService } from './modules/reports/reports.service.js';
import { SalesService } from './modules/sales/sales.service.js';
import { SettlementsService } from './modules/settlements/settlements.service.js';
import { StaffService } from './modules/staff/staff.service.js';
import { SupportService } from './modules/support/support.service.js';
import { SupportResetsService } from './modules/support/support-resets.service.js';
import { OperatorSignIns } from './modules/terminals/operator-sign-ins.js';
import { TerminalsService } from './modules/terminals/terminals.service.js';
import { TicketsService } from './modules/tickets/tickets.service.js';
import { WebhooksService } from './modules/webhooks/webhooks.service.js';
import { loadServerKey } from './settings.js';

export interface Overrides {
  clock?: Clock;
  random?: RandomSource;
  log?: pino.Logger;
  acquirer?: (services: Pick<AppServices, 'database' | 'clock'>) => Acquirer;
  migrate?: boolean;
  /**
   * Zero bits the applications' bot check asks for, in place of the product's (bot-check.ts BOT_CHECK, docs/api.md).
   * Only the test harness sets it, for fixtures that are not about the bot check; nothing in the configuration can.
   */
  botCheckBits?: number;
}

/** The modules on an open database; close() stops message delivery and closes the database. */
export interface ComposedServices {
  services: AppServices;
  close(): Promise<void>;
}

/**
 * The composition root's first half: config → database → modules, without the HTTP server or the workers. One-shot
 * commands (`refundkey admin create`, `demo`, `bank`, ...) stop here: they never load Fastify, Swagger or the pages
 * (about half of such a process's start-up).
 */
export async function composeServices(config: Config, overrides: Overrides = {}): Promise<ComposedServices> {
  const log = overrides.log ?? createLogger({ level: config.logLevel });
  // One pool per process: an operator's ARGON2_THREADS replaces the default (cores − 1) before the first hash.
  if (config.argon2Threads) argon2Pool.setThreads(config.argon2Threads);
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;
  const database = openDatabase(config.databaseUrl);
  const { db } = database;
  if (overrides.migrate !== false) await migrateToLatest(db);
  const serverKey = await loadServerKey(db, config.secret);
  const hmac = new Hmac(serverKey);
  const sealer = new Sealer(serverKey);
  const audit = new AuditService(db, clock, hmac);
  const giveUpMs = config.notify.giveUpHours * 3_600_000;
  const outbox = new OutboxService(db, clock, sealer, giveUpMs);
  const webhooks = new WebhooksService(db, clock, sealer, outbox, {
    env: config.env,
    maxAttempts: config.notify.webhookMaxAttempts,
    giveUpMs,
  });
  const acquirer = overrides.acquirer?.({ database, clock }) ?? new SandboxAcquirer(db, clock);
  const merchants = new MerchantsService(db, clock);
  const staff = new StaffService(db, clock);
  const attempts = new AttemptLimiter(db, clock);
  const operatorSignIns = new OperatorSignIns(db, clock, attempts, audit, outbox, staff);
  const terminals = new TerminalsService(db, clock, hmac, staff, audit, operatorSignIns, random);
  // Message texts name the store, terminal and operator, looked up by the modules that own them.
  const messages = new MessageRenderer(
    outbox,
    {
      storeName: async (id) => (await merchants.getStore(id)).name,
      terminalName: (id) => terminals.terminalName(id),
      operator: async (id) => staff.getOperator(id),
    },
    config.notify.smsSignature,
  );
  const delivery = createDelivery({ config, database, clock, log, messages, webhooks });
  const idempotency = new IdempotencyService(db, clock);
  const settlements = new SettlementsService(db, clock, merchants, webhooks, idempotency);
  const sales = new SalesService(db, clock, hmac, acquirer, idempotency, settlements, log, webhooks);
  const refundPolicies = new RefundPoliciesService(db, clock, merchants, audit);
  const refundCodes = new RefundCodesService(db, clock, hmac, random, outbox, audit, attempts, {
    digits: config.refundCodeDigits,
    lifetimeMs: config.refundCodeTtlMinutes * 60_000,
  });
  const recipients = new RecipientsService(db, clock, hmac, { audit, outbox }, random);
  const refundLockouts = new LockoutsService(db, clock, attempts, audit, outbox, staff, terminals, recipients);
  const approvals = new ApprovalsService(db, clock, audit, outbox, staff, recipients);
  const refundKeys = new RefundKeysService(db, clock, { staff, merchants, audit, outbox, attempts });
  const refundAuthorization = new RefundAuthorizationService(
    db,
    merchants,
    refundKeys,
    refundLockouts,
    refundCodes,
    approvals,
  );
  const refundLedger = new RefundLedger(
    db,
    clock,
    acquirer,
    settlements,
    log,
    audit,
    refundPolicies,
    webhooks,
    approvals,
  );
  const refunds = new RefundsService(
    db,
    clock,
    settlements,
    idempotency,
    refundLedger,
    refundKeys,
    {
      authorization: refundAuthorization,
      policies: refundPolicies,
      staff,
      audit,
      outbox,
    },
    webhooks,
  );

  // The second factors stand above auth: the composition root hands auth the one question it asks at login.
  const mfa = new MfaService(db, clock, hmac, sealer, { staff, attempts, audit, outbox }, random);
  const auth = new AuthService(db, clock, hmac, staff, audit, attempts, random, (userId) => mfa.methodsOf(userId));
  const passkeys = new PasskeyService(db, clock, hmac, { staff, attempts, audit, mfa }, random);
  const support = new SupportService(db, clock, hmac, { staff, attempts, audit, outbox }, random);
  const invitations = new InvitationsService(db, clock, hmac, outbox, audit, staff, auth, random);

  const services: AppServices = {
    config,
    database,
    clock,
    log,
    merchants,
    staff,
    terminals,
    sales,
    refunds,
    refundLedger,
    settlements,
    idempotency,
    demo: new DemoService(merchants, staff, terminals, random, (userId) => mfa.enrolForDemo(userId)),
    audit,
    outbox,
    messages,
    delivery,
    webhooks,
    refundKeys,
    refundCodes,
    attempts,
    refundLockouts,
    refundPolicies,
    approvals,
    recipients,
    auth,
    invitations,
    provisioning: new ProvisioningService(db, merchants, staff, terminals, invitations, audit),
    staffAdmin: new StaffAdminService(db, merchants, staff, invitations, auth, audit),
    operators: new OperatorsService(db, merchants, staff, outbox, audit, random),
    reports: new ReportsService(db, clock),
    mfa,
    passkeys,
    qrLogins: new QrLoginService(db, clock, hmac, { staff, auth, mfa, passkeys, audit }, random),
    keyRecovery: new KeyRecoveryService(
      db,
      clock,
      hmac,
      { refundKeys, staff, attempts, audit, outbox, hasSecondFactor: (userId) => mfa.hasActiveFactor(userId) },
      random,
    ),
    support,
    supportResets: new SupportResetsService(db, clock, hmac, { staff, auth, mfa, refundKeys, audit, outbox }, random),
    banks: new BanksService(db, clock, sealer, { audit, merchants, support }, random),
    announcements: new AnnouncementsService(db, clock, { staff, audit, outbox }, random),
    tickets: new TicketsService(db, clock, { staff, audit, outbox }, random),
    account: new AccountService(db, hmac, { staff, auth, mfa, refundKeys, attempts, audit }),
    ...createApplicationServices(
      { db, clock, hmac, sealer, random, botCheckBits: overrides.botCheckBits },
      { attempts, audit, outbox, merchants, staff, invitations, terminals },
    ),
  };
  return {
    services,
    async close() {
      await delivery.close();
      await database.close();
    },
  };
}
