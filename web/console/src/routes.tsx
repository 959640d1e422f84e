import type { ReactNode } from 'react';
import { ApplicationsPage } from './pages/applications/ApplicationsPage.js';
import { ApprovalsPage } from './pages/approvals/ApprovalsPage.js';
import { AuditPage } from './pages/audit/AuditPage.js';
import { DashboardPage } from './pages/dashboard/DashboardPage.js';
import { OutboxPage } from './pages/outbox/OutboxPage.js';
import { RefundKeyPage } from './pages/refund-key/RefundKeyPage.js';
import { SecurityPage } from './pages/security/SecurityPage.js';
import { StaffPage } from './pages/staff/StaffPage.js';
import { StoresPage } from './pages/stores/StoresPage.js';
import { TerminalsPage } from './pages/terminals/TerminalsPage.js';
import { TransactionsPage } from './pages/transactions/TransactionsPage.js';
import { WebhooksPage } from './pages/webhooks/WebhooksPage.js';
import type { NavKey } from './shell.messages.js';

/**
 * Every signed-in page of the console, in navigation order. A route with `navKey` gets a link in the navigation,
 * named by `shell.nav.<navKey>` (web/console/src/shell.messages.ts). Paths are relative to /console/.
 * The pages outside the signed-in layout (sign-in, invitation, password reset, enrolment, QR approval) are in App.tsx.
 */
export interface ConsoleRoute {
  path: string;
  navKey?: NavKey;
  /** Linked in the navigation only when the server is not in production (GET /v1/auth/me `environment`). */
  devOnly?: true;
  element: ReactNode;
}

export const consoleRoutes: ConsoleRoute[] = [
  { path: '', navKey: 'dashboard', element: <DashboardPage /> },
  { path: 'transactions', navKey: 'transactions', element: <TransactionsPage /> },
  { path: 'approvals', navKey: 'approvals', element: <ApprovalsPage /> },
  { path: 'applications', element: <ApplicationsPage /> }, // platform admins: the review queue of merchant applications
  { path: 'refund-key', navKey: 'refundKey', element: <RefundKeyPage /> },
  { path: 'staff', navKey: 'staff', element: <StaffPage /> },
  { path: 'stores', navKey: 'stores', element: <StoresPage /> },
  { path: 'terminals', navKey: 'terminals', element: <TerminalsPage /> },
  { path: 'security', navKey: 'security', element: <SecurityPage /> },
  { path: 'audit', navKey: 'audit', element: <AuditPage /> },
  { path: 'webhooks', navKey: 'webhooks', element: <WebhooksPage /> },
  { path: 'outbox', navKey: 'outbox', devOnly: true, element: <OutboxPage /> },
];
