import type { FastifyInstance } from 'fastify';
import type pino from 'pino';
import type { AppServices } from './app-services.js';
import type { Config } from './config.js';
import { openDatabase } from './db/database.js';
import { migrateToLatest } from './db/migrate.js';
import { buildServer } from './http/server.js';
import { createLogger } from './http/logger.js';
import { type Clock, systemClock } from './lib/clock.js';
import { Hmac } from './lib/hashing.js';
import { cryptoRandom, type RandomSource } from './lib/random.js';
import { Sealer } from './lib/sealer.js';
import type { Acquirer } from './modules/acquirer/acquirer.js';
import { SandboxAcquirer } from './modules/acquirer/sandbox-acquirer.js';
import { AuditService } from './modules/audit/audit.service.js';
import { DemoService } from './modules/demo/demo.service.js';
import { IdempotencyService } from './modules/idempotency/idempotency.service.js';
import { MerchantsService } from './modules/merchants/merchants.service.js';
import { OutboxService } from './modules/notify/outbox.service.js';
import { RefundKeysService } from './modules/refund-keys/refund-keys.service.js';
import { RefundLedger } from './modules/refunds/refund-ledger.js';
import { RefundsService } from './modules/refunds/refunds.service.js';
import { SalesService } from './modules/sales/sales.service.js';
import { SettlementsService } from './modules/settlements/settlements.service.js';
import { StaffService } from './modules/staff/staff.service.js';
import { TerminalsService } from './modules/terminals/terminals.service.js';
import { loadServerKey } from './settings.js';
import { Workers } from './workers.js';

export interface Overrides {
  clock?: Clock;
  random?: RandomSource;
  log?: pino.Logger;
  acquirer?: (services: Pick<AppServices, 'database' | 'clock'>) => Acquirer;
  migrate?: boolean;
}

export interface Refundkey {
  services: AppServices;
  server: FastifyInstance;
  workers: Workers;
  close(): Promise<void>;
}

/** The composition root: config → database → modules → HTTP server → workers. */
export async function createRefundkey(config: Config, overrides: Overrides = {}): Promise<Refundkey> {
  const log = overrides.log ?? createLogger({ level: config.logLevel });
  const clock = overrides.clock ?? systemClock;
  const random = overrides.random ?? cryptoRandom;
  const database = openDatabase(config.databaseUrl);
  const { db } = database;
  if (overrides.migrate !== false) await migrateToLatest(db);
  const serverKey = await loadServerKey(db, config.secret);
  const hmac = new Hmac(serverKey);
  const audit = new AuditService(db, clock, hmac);
  const outbox = new OutboxService(db, clock, new Sealer(serverKey));

  const acquirer = overrides.acquirer?.({ database, clock }) ?? new SandboxAcquirer(db, clock);
  const merchants = new MerchantsService(db, clock);
  const staff = new StaffService(db, clock);
  const terminals = new TerminalsService(db, clock, hmac, staff, random);
  const idempotency = new IdempotencyService(db, clock);
  const settlements = new SettlementsService(db, clock, merchants);
  const sales = new SalesService(db, clock, hmac, acquirer, idempotency, settlements, log);
  const refundLedger = new RefundLedger(db, clock, acquirer, settlements, log);
  const refundKeys = new RefundKeysService(db, clock);
  const refunds = new RefundsService(db, clock, merchants, settlements, idempotency, refundLedger, refundKeys);

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
    demo: new DemoService(merchants, staff, terminals, random),
    audit,
    outbox,
    refundKeys,
  };
  const server = await buildServer(services);
  const workers = new Workers(services);
  return {
    services,
    server,
    workers,
    async close() {
      workers.stop();
      await server.close();
      await database.close();
    },
  };
}
