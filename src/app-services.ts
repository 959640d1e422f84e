import type pino from 'pino';
import type { Config } from './config.js';
import type { Database } from './db/database.js';
import type { Clock } from './lib/clock.js';
import type { AuditService } from './modules/audit/audit.service.js';
import type { DemoService } from './modules/demo/demo.service.js';
import type { IdempotencyService } from './modules/idempotency/idempotency.service.js';
import type { MerchantsService } from './modules/merchants/merchants.service.js';
import type { OutboxService } from './modules/notify/outbox.service.js';
import type { RefundKeysService } from './modules/refund-keys/refund-keys.service.js';
import type { RefundLedger } from './modules/refunds/refund-ledger.js';
import type { RefundsService } from './modules/refunds/refunds.service.js';
import type { SalesService } from './modules/sales/sales.service.js';
import type { SettlementsService } from './modules/settlements/settlements.service.js';
import type { StaffService } from './modules/staff/staff.service.js';
import type { TerminalsService } from './modules/terminals/terminals.service.js';

/** Everything the composition root wires together, handed to the HTTP server, the CLI and the workers. */
export interface AppServices {
  config: Config;
  database: Database;
  clock: Clock;
  log: pino.Logger;
  merchants: MerchantsService;
  staff: StaffService;
  terminals: TerminalsService;
  sales: SalesService;
  refunds: RefundsService;
  refundLedger: RefundLedger;
  settlements: SettlementsService;
  idempotency: IdempotencyService;
  demo: DemoService;
  audit: AuditService;
  outbox: OutboxService;
  refundKeys: RefundKeysService;
}
