import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import * as core from './migrations/2026-11-25-0001-core.js';
import * as auditOutbox from './migrations/2026-11-25-0002-audit-outbox.js';
import * as auth from './migrations/2026-11-25-0003-auth.js';
import * as notify from './migrations/2026-11-25-0004-notify.js';
import * as refundAuthorization from './migrations/2026-11-25-0006-refund-authorization.js';
import * as attemptLimits from './migrations/2026-12-01-0007-attempt-limits.js';
import * as provisioning from './migrations/2026-12-01-0009-provisioning.js';
import * as secondFactors from './migrations/2026-12-01-0011-second-factors.js';
import * as webhookSequences from './migrations/2026-12-02-0012-webhook-sequences.js';
import * as passkeysQrLogin from './migrations/2026-12-05-0013-passkeys-qr-login.js';
import * as refundKeyRecovery from './migrations/2026-12-05-0014-refund-key-recovery.js';
import * as supportDesk from './migrations/2026-12-05-0015-support-desk.js';
import * as terminalQrLogins from './migrations/2026-12-05-0016-terminal-qr-logins.js';
import * as supportResetsBanks from './migrations/2026-12-05-0017-support-resets-banks.js';
import * as announcements from './migrations/2026-12-05-0018-announcements.js';
import * as tickets from './migrations/2026-12-05-0019-tickets.js';
import * as merchantApplications from './migrations/2026-12-05-0020-merchant-applications.js';
import * as notificationRecipients from './migrations/2026-12-05-0023-notification-recipients.js';
import * as pendingSalesIndex from './migrations/2026-12-06-0024-pending-sales-index.js';
import type { DB } from './schema.js';

// Migrations are listed here rather than read from a folder, so they work the same from src/ (tsx) and dist/.
const MIGRATIONS: Record<string, Migration> = {
  '2026-11-25-0001-core': core,
  '2026-11-25-0002-audit-outbox': auditOutbox,
  '2026-11-25-0003-auth': auth,
  '2026-11-25-0004-notify': notify,
  '2026-11-25-0006-refund-authorization': refundAuthorization,
  '2026-12-01-0007-attempt-limits': attemptLimits,
  '2026-12-01-0009-provisioning': provisioning,
  '2026-12-01-0011-second-factors': secondFactors,
  '2026-12-02-0012-webhook-sequences': webhookSequences,
  '2026-12-05-0013-passkeys-qr-login': passkeysQrLogin,
  '2026-12-05-0014-refund-key-recovery': refundKeyRecovery,
  '2026-12-05-0015-support-desk': supportDesk,
  '2026-12-05-0016-terminal-qr-logins': terminalQrLogins,
  '2026-12-05-0017-support-resets-banks': supportResetsBanks,
  '2026-12-05-0018-announcements': announcements,
  '2026-12-05-0019-tickets': tickets,
  '2026-12-05-0020-merchant-applications': merchantApplications,
  '2026-12-05-0023-notification-recipients': notificationRecipients,
  '2026-12-06-0024-pending-sales-index': pendingSalesIndex,
};

const provider: MigrationProvider = { getMigrations: async () => MIGRATIONS };

/** Bring the schema to the latest migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<DB>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`migration ${failed} failed: ${error instanceof Error ? error.message : String(error)}`);
  }
  return (results ?? []).map((r) => r.migrationName);
}
