import type { Kysely, Transaction } from 'kysely';
import type { AcquirerSandboxOpsTable } from '../modules/acquirer/acquirer.table.js';
import type {
  AnnouncementAcksTable,
  AnnouncementsTable,
  MerchantAudiencesTable,
} from '../modules/announcements/announcements.table.js';
import type { ApplicationPhoneCodesTable, ApplicationsTable } from '../modules/applications/applications.table.js';
import type { AttemptLimitsTable } from '../modules/attempts/attempts.table.js';
import type { AuditHeadTable, AuditLogTable } from '../modules/audit/audit.table.js';
import type { PendingLoginsTable, StaffSessionsTable } from '../modules/auth/auth.table.js';
import type {
  RefundApprovalsTable,
  RefundCodesTable,
  RefundDailyUsageTable,
  RefundPoliciesTable,
} from '../modules/authorization/authorization.table.js';
import type {
  BankCredentialsTable,
  BankNoncesTable,
  BanksTable,
  MerchantSettlementBanksTable,
} from '../modules/banks/banks.table.js';
import type { IdempotencyKeysTable } from '../modules/idempotency/idempotency.table.js';
import type { InvitationsTable } from '../modules/invitations/invitations.table.js';
import type { MerchantsTable, StoresTable } from '../modules/merchants/merchants.table.js';
import type {
  AccountCodesTable,
  BackupCodesTable,
  SecondFactorsTable,
  TotpUsedStepsTable,
} from '../modules/mfa/mfa.table.js';
import type { PasskeysTable, WebauthnChallengesTable } from '../modules/mfa/passkey.table.js';
import type { OutboxProviderRefsTable, OutboxTable } from '../modules/notify/outbox.table.js';
import type { QrLoginsTable } from '../modules/qr-login/qr-login.table.js';
import type { NotificationRecipientsTable } from '../modules/recipients/recipients.table.js';
import type { RefundKeyRecoveryCodesTable } from '../modules/refund-keys/key-recovery.table.js';
import type { RefundKeysTable } from '../modules/refund-keys/refund-keys.table.js';
import type { RefundsTable } from '../modules/refunds/refunds.table.js';
import type { SalesTable } from '../modules/sales/sales.table.js';
import type { BatchesTable } from '../modules/settlements/settlements.table.js';
import type { OperatorsTable, UsersTable } from '../modules/staff/staff.table.js';
import type {
  SupportCasesTable,
  SupportChecksTable,
  SupportPhoneChangesTable,
} from '../modules/support/support.table.js';
import type { OperatorSessionsTable, TerminalsTable } from '../modules/terminals/terminals.table.js';
import type { TicketEventsTable, TicketsTable } from '../modules/tickets/tickets.table.js';
import type {
  WebhookDeliveriesTable,
  WebhookEndpointsTable,
  WebhookSequencesTable,
} from '../modules/webhooks/webhooks.table.js';

export interface SettingsTable {
  name: string;
  value: string;
}

/** Every table, as Kysely sees it. */
export interface DB {
  settings: SettingsTable;
  merchants: MerchantsTable;
  stores: StoresTable;
  users: UsersTable;
  operators: OperatorsTable;
  terminals: TerminalsTable;
  operator_sessions: OperatorSessionsTable;
  batches: BatchesTable;
  sales: SalesTable;
  refunds: RefundsTable;
  idempotency_keys: IdempotencyKeysTable;
  acquirer_sandbox_ops: AcquirerSandboxOpsTable;
  audit_head: AuditHeadTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  outbox_provider_refs: OutboxProviderRefsTable;
  webhook_endpoints: WebhookEndpointsTable;
  webhook_deliveries: WebhookDeliveriesTable;
  webhook_sequences: WebhookSequencesTable;
  staff_sessions: StaffSessionsTable;
  attempt_limits: AttemptLimitsTable;
  refund_keys: RefundKeysTable;
  refund_codes: RefundCodesTable;
  refund_policies: RefundPoliciesTable;
  refund_daily_usage: RefundDailyUsageTable;
  refund_approvals: RefundApprovalsTable;
  invitations: InvitationsTable;
  pending_logins: PendingLoginsTable;
  second_factors: SecondFactorsTable;
  totp_used_steps: TotpUsedStepsTable;
  backup_codes: BackupCodesTable;
  account_codes: AccountCodesTable;
  passkeys: PasskeysTable;
  webauthn_challenges: WebauthnChallengesTable;
  qr_logins: QrLoginsTable;
  refund_key_recovery_codes: RefundKeyRecoveryCodesTable;
  support_cases: SupportCasesTable;
  support_checks: SupportChecksTable;
  support_phone_changes: SupportPhoneChangesTable;
  banks: BanksTable;
  bank_credentials: BankCredentialsTable;
  bank_nonces: BankNoncesTable;
  merchant_settlement_banks: MerchantSettlementBanksTable;
  announcements: AnnouncementsTable;
  announcement_acks: AnnouncementAcksTable;
  merchant_audiences: MerchantAudiencesTable;
  tickets: TicketsTable;
  notification_recipients: NotificationRecipientsTable;
  ticket_events: TicketEventsTable;
  applications: ApplicationsTable;
  application_phone_codes: ApplicationPhoneCodesTable;
}

/** A repository takes either the database or an open transaction. */
export type Executor = Kysely<DB> | Transaction<DB>;
