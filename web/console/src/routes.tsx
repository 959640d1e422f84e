import type { ReactNode } from 'react';
import { AnnouncementsPage } from './pages/announcements/AnnouncementsPage.js';
import { ApplicationsPage } from './pages/applications/ApplicationsPage.js';
import { ApprovalsPage } from './pages/approvals/ApprovalsPage.js';
import { AuditPage } from './pages/audit/AuditPage.js';
import { DashboardPage } from './pages/dashboard/DashboardPage.js';
import { OutboxPage } from './pages/outbox/OutboxPage.js';
import { RefundKeyPage } from './pages/refund-key/RefundKeyPage.js';
import { SecurityPage } from './pages/security/SecurityPage.js';
import { StaffPage } from './pages/staff/StaffPage.js';
import { StoresPage } from './pages/stores/StoresPage.js';
import { SupportPage } from './pages/support/SupportPage.js';
import { TerminalsPage } from './pages/terminals/TerminalsPage.js';
import { TicketsPage } from './pages/tickets/TicketsPage.js';
import { TransactionsPage } from './pages/transactions/TransactionsPage.js';
import { WebhooksPage } from './pages/webhooks/WebhooksPage.js';
import type { SignedInUser } from './session.js';
import type { NavKey } from './shell.messages.js';

/**
 * Every signed-in page of the console, in navigation order. A route with `navKey` gets a link in the navigation,
 * named by `shell.nav.<navKey>` (web/console/src/shell.messages.ts). Paths are relative to /console/.
 * The pages outside the signed-in layout (sign-in, invitation, password reset, enrolment, QR approval) are in App.tsx.
 */
export interface ConsoleRoute {
  path: string;
  navKey?: NavKey;
  /** Who may open the page (the API's own roles for what it calls); others get neither the link nor the page. */
  roles: readonly Role[];
  /** Linked in the navigation only when the server is not in production (GET /v1/auth/me `environment`). */
  devOnly?: true;
  element: ReactNode;
}

type Role = SignedInUser['role'];
const BACK_OFFICE = ['owner', 'manager'] as const;
const EVERYONE = ['owner', 'manager', 'cashier', 'admin', 'support_agent'] as const;

export const consoleRoutes: ConsoleRoute[] = [
  { path: '', navKey: 'dashboard', roles: BACK_OFFICE, element: <DashboardPage /> },
  { path: 'transactions', navKey: 'transactions', roles: BACK_OFFICE, element: <TransactionsPage /> },
  { path: 'approvals', navKey: 'approvals', roles: BACK_OFFICE, element: <ApprovalsPage /> },
  { path: 'applications', navKey: 'applications', roles: ['admin'], element: <ApplicationsPage /> },
  { path: 'support', navKey: 'support', roles: ['support_agent'], element: <SupportPage /> },
  { path: 'announcements', navKey: 'announcements', roles: ['admin'], element: <AnnouncementsPage /> },
  { path: 'refund-key', navKey: 'refundKey', roles: BACK_OFFICE, element: <RefundKeyPage /> },
  { path: 'staff', navKey: 'staff', roles: BACK_OFFICE, element: <StaffPage /> },
  { path: 'stores', navKey: 'stores', roles: BACK_OFFICE, element: <StoresPage /> },
  { path: 'terminals', navKey: 'terminals', roles: BACK_OFFICE, element: <TerminalsPage /> },
  {
    path: 'tickets',
    navKey: 'tickets',
    roles: ['owner', 'manager', 'cashier', 'support_agent'],
    element: <TicketsPage />,
  },
  { path: 'security', navKey: 'security', roles: EVERYONE, element: <SecurityPage /> },
  { path: 'audit', navKey: 'audit', roles: ['owner', 'admin'], element: <AuditPage /> },
  { path: 'webhooks', navKey: 'webhooks', roles: ['owner'], element: <WebhooksPage /> },
  { path: 'outbox', navKey: 'outbox', roles: EVERYONE, devOnly: true, element: <OutboxPage /> },
];

/** Where a role lands after signing in: the first page it may open (the dashboard for owners and managers). */
export function homePath(role: Role): string {
  const first = consoleRoutes.find((route) => route.roles.includes(role));
  return `/${first?.path ?? 'security'}`;
}

/** The pages a role may open, and of those the ones linked in the navigation in this environment. */
export function routesFor(role: Role): ConsoleRoute[] {
  return consoleRoutes.filter((route) => route.roles.includes(role));
}
