// Authorization matrix (issue 5, item 4; docs/security.md "What the tests try": every role against every route,
// other merchants' ids). One declared table says, for every route of the app, which role may call it. The route list
// is read from the running server's router, so that a route added without a row in the table fails this suite.
//
// For each route × role one plausible request is sent (the first merchant's real ids wherever the route takes one):
// - allowed (A): exactly the route's success status (SUCCESS below; every allowed call gets an object it can act on,
//   e.g. its own pending approval), or where the probe is meant to reach a business rule past authorization, exactly
//   that rule's status and code; so a wrongly refused allowed call fails whatever its status and code; when the caller
//   belongs to the other merchant, the answer must not contain any id of the first merchant;
// - refused (_): exactly the status and code of the credential the route asks for first (refusalOf below: 401 with the
//   route's credential code, or 403 FORBIDDEN for a signed-in person of the wrong role), and no table changes;
// - other merchant's object (F): the role may call the route in its own merchant, but the request names the first
//   merchant's object: exactly the route's "not found" (or credentials) refusal, and no table changes.
// No answer may be a 5xx. A HEAD answer has no body: its status alone is compared.
// "No table changes": a checksum of every table before and after each refused request (table-checksum.ts), leaving
// out only what docs/security.md requires a refusal to record (wrong-entry counters, lockouts, the audit log) and a
// session's last-seen time.
import { afterAll, beforeAll, describe, it } from 'vitest';
import { details } from '../applications/apply-helpers.js';
import { type ApplicationFixtures, applicationFixtures } from '../applications/matrix-fixtures.js';
import { createStaffUser } from '../auth/auth-helpers.js';
import { codeOf, KEY_AND_CODE, OWNER_PHONE, WITH_APPROVAL } from '../authorization/authz-helpers.js';
import { SoftAuthenticator } from '../mfa/support/soft-authenticator.js';
import { DIALECTS } from '../support/databases.js';
import { outcome } from '../support/outcomes.js';
import {
  pendingCookieOf,
  rememberSecondFactor,
  StaffClient,
  sessionCookieOf,
  totpCode,
} from '../support/staff-client.js';
import { type Answer, CARD_OK, type SeededMerchant, TestApp } from '../support/test-app.js';
import { registeredRoutes } from './support/route-list.js';
import { ChangeWatch, RECORDS_REFUSALS } from './support/table-checksum.js';

const ROLES = [
  'anonymous', // no credentials at all
  'forged', // made-up terminal key, operator session, session cookie and CSRF token
  'cashierTerminal', // the first merchant's terminal key + a signed-in operator session
  'terminalOnly', // the same terminal key, without an operator session
  'otherTerminal', // the second merchant's terminal key + its operator session
  'cashier', // back-office user with role cashier (first merchant)
  'manager', // back-office manager of the whole first merchant
  'owner', // back-office owner of the first merchant
  'otherOwner', // back-office owner of the second merchant
  'admin', // platform admin (role admin, no merchant)
] as const;
type Role = (typeof ROLES)[number];
type StaffCaller = Extract<Role, 'cashier' | 'manager' | 'owner' | 'otherOwner' | 'admin'>;

/** A: allowed. _: refused (401/403). F: allowed in its own merchant, refused on the first merchant's object. */
const A = 'allow';
const _ = 'deny';
const F = 'foreign';
type Cell = typeof A | typeof _ | typeof F;
type Row = readonly [Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell, Cell];

// biome-ignore format: the table is read as a grid
const MATRIX: Record<string, Row> = {
  //                                               anon forgd cTrm tOnly oTrm cashr mngr owner oOwn admin
  // public
  'GET /healthz':                                 [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /openapi.json':                            [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /docs':                                    [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /docs/':                                   [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /docs/static/index.html':                  [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /docs/static/swagger-initializer.js':      [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /docs/static/*':                           [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /docs/json':                               [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /docs/yaml':                               [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /':                                        [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /console':                                 [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /console/':                                [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /console/*':                               [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /pos':                                     [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /pos/':                                    [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /pos/*':                                   [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /dev/outbox':                              [A,   A,    A,   A,    A,   A,    A,   A,    A,   A], // not in production
  'POST /v1/terminals/activate':                  [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'POST /v1/auth/login':                          [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  // terminal API
  'POST /v1/operator-sessions':                   [_,   _,    A,   A,    F,   _,    _,   _,    _,   _],
  'POST /v1/sales':                               [_,   _,    A,   _,    A,   _,    _,   _,    _,   _],
  'GET /v1/sales/:id':                            [_,   _,    A,   A,    F,   _,    _,   _,    _,   _],
  'GET /v1/terminal/sales':                       [_,   _,    A,   _,    A,   _,    _,   _,    _,   _],
  'POST /v1/operator-sessions/sign-out':          [_,   _,    A,   _,    A,   _,    _,   _,    _,   _],
  'POST /v1/terminal/qr-logins':                  [_,   _,    A,   A,    A,   _,    _,   _,    _,   _],
  'POST /v1/refunds':                             [_,   _,    A,   _,    F,   _,    _,   _,    _,   _],
  'GET /v1/refunds/:id':                          [_,   _,    A,   A,    F,   _,    _,   _,    _,   _],
  'POST /v1/refunds/:id/authorize':               [_,   _,    A,   _,    F,   _,    _,   _,    _,   _],
  'POST /v1/refunds/:id/resend-code':             [_,   _,    A,   _,    F,   _,    _,   _,    _,   _],
  'POST /v1/refunds/:id/cancel':                  [_,   _,    A,   _,    F,   _,    _,   _,    _,   _],
  'POST /v1/settlements':                         [_,   _,    A,   _,    A,   _,    _,   _,    _,   _],
  // back office: session
  'POST /v1/auth/reauth':                         [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'GET /v1/auth/me':                              [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/auth/logout':                         [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  // back office: refund key
  'GET /v1/refund-key':                           [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'POST /v1/refund-key/strength':                 [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'POST /v1/refund-key':                          [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'POST /v1/refund-key/change':                   [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'POST /v1/refund-key/remove-override':          [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  // forgotten refund key (issue 15 item 1): owners only, each for their own merchant
  'POST /v1/refund-key/forgotten':                [_,   _,    _,   _,    _,   _,    _,   A,    A,   _],
  'POST /v1/refund-key/forgotten/confirm':        [_,   _,    _,   _,    _,   _,    _,   A,    A,   _],
  // support desk (issue 15 item 2): support agents only, a role none of these callers has
  'GET /v1/support/merchants':                    [_,   _,    _,   _,    _,   _,    _,   _,    _,   _],
  'POST /v1/support/cases':                       [_,   _,    _,   _,    _,   _,    _,   _,    _,   _],
  'GET /v1/support/cases':                        [_,   _,    _,   _,    _,   _,    _,   _,    _,   _],
  'GET /v1/support/cases/:id':                    [_,   _,    _,   _,    _,   _,    _,   _,    _,   _],
  'POST /v1/support/cases/:id/checks':            [_,   _,    _,   _,    _,   _,    _,   _,    _,   _],
  'POST /v1/support/cases/:id/approve':           [_,   _,    _,   _,    _,   _,    _,   _,    _,   _],
  'POST /v1/support/cases/:id/phone-change/cancel': [_, _,    _,   _,    _,   _,    _,   _,    _,   _],
  // the owner's end of a support case: the reset code is the credential (a wrong one answers 401 for everybody)
  'POST /v1/support/resets/account':              [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'POST /v1/support/resets/refund-key':           [_,   _,    _,   _,    _,   _,    _,   A,    A,   _],
  // partner banks (issue 15 item 3): admins register them; a bank's request is signed (unsigned: 401 for everybody)
  'POST /v1/banks':                               [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'POST /v1/merchants/:id/settlement-bank':       [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'POST /v1/bank/reset-requests':                 [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  // announcements (issue 15 item 4): read by console people and terminals alike; published by admins
  'GET /v1/announcements':                        [_,   _,    A,   A,    A,   A,    A,   A,    A,   A],
  'POST /v1/announcements/:id/acknowledge':       [_,   _,    _,   _,    _,   A,    A,   A,    A,   _],
  'POST /v1/terminal/announcements/:id/acknowledge': [_, _,   A,   _,    A,   _,    _,   _,    _,   _],
  'POST /v1/admin/announcements':                 [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'GET /v1/admin/announcements':                  [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'POST /v1/merchants/:id/audience':              [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  // after-sales tickets (issue 15 item 6): merchant staff in their merchant (and support agents, not a column here)
  'POST /v1/tickets':                             [_,   _,    _,   _,    _,   A,    A,   A,    A,   _],
  'GET /v1/tickets':                              [_,   _,    _,   _,    _,   A,    A,   A,    A,   _],
  'GET /v1/tickets/terminals':                    [_,   _,    _,   _,    _,   A,    A,   A,    A,   _],
  'GET /v1/tickets/:id':                          [_,   _,    _,   _,    _,   A,    A,   A,    A,   _],
  'POST /v1/tickets/:id/messages':                [_,   _,    _,   _,    _,   A,    A,   A,    A,   _],
  'POST /v1/tickets/:id/status':                  [_,   _,    _,   _,    _,   A,    A,   A,    A,   _],
  // merchant applications (issue 15 item 5): the applicant's side is public, the review queue the platform admin's
  'GET /v1/apply/rate-plans':                     [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /v1/apply/challenge':                      [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'POST /v1/apply/phone-codes':                   [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'POST /v1/apply/phone-codes/verify':            [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'POST /v1/apply/applications':                  [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /v1/apply/status':                         [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'POST /v1/apply/status/amend':                  [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /v1/applications':                         [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'GET /v1/applications/:id':                     [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'POST /v1/applications/:id/approve':            [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'POST /v1/applications/:id/reject':             [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'POST /v1/applications/:id/request-info':       [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  // back office: refund policy, locks, approvals
  'GET /v1/stores/:id/refund-policy':             [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'PUT /v1/stores/:id/refund-policy':             [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  'POST /v1/stores/:id/refund-policy':            [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  'POST /v1/merchants/:id/refund-lock/unlock':    [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  'POST /v1/terminals/:id/refund-lock/unlock':    [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  'POST /v1/terminals/:id/operator-lock/unlock':  [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'PUT /v1/merchants/:id/refund-settings':        [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  'POST /v1/merchants/:id/refund-settings':       [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  'GET /v1/approvals':                            [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'POST /v1/approvals/:refund_id/approve':        [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'POST /v1/approvals/:refund_id/deny':           [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  // back office: audit, webhooks, operations
  'GET /v1/audit':                                [_,   _,    _,   _,    _,   _,    _,   A,    F,   A],
  'GET /v1/audit/chain':                          [_,   _,    _,   _,    _,   _,    _,   A,    A,   A],
  'POST /v1/webhook-endpoints':                   [_,   _,    _,   _,    _,   _,    _,   A,    A,   _],
  'GET /v1/webhook-endpoints':                    [_,   _,    _,   _,    _,   _,    _,   A,    A,   _],
  'GET /v1/webhook-endpoints/:id/deliveries':     [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  'POST /v1/webhook-endpoints/:id/disable':       [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  // notification recipients (issue 13 item 7): the owner's, verified by a code
  'GET /v1/notification-recipients':              [_,   _,    _,   _,    _,   _,    _,   A,    A,   _],
  'POST /v1/notification-recipients':             [_,   _,    _,   _,    _,   _,    _,   A,    A,   _],
  'POST /v1/notification-recipients/:id/confirm': [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  'POST /v1/notification-recipients/:id/resend':  [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  'POST /v1/notification-recipients/:id/remove':  [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  'GET /v1/ops/outbox':                           [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'POST /v1/ops/outbox/:id/retry':                [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  // provisioning (issue 12)
  'POST /v1/auth/invitations/accept':             [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'POST /v1/merchants':                           [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'GET /v1/rate-plans':                           [_,   _,    _,   _,    _,   _,    _,   A,    A,   A],
  'POST /v1/merchants/:id/rate-plan':             [_,   _,    _,   _,    _,   _,    _,   _,    _,   A],
  'GET /v1/merchants/:id/rate-plan':              [_,   _,    _,   _,    _,   _,    _,   A,    F,   A],
  'POST /v1/stores':                              [_,   _,    _,   _,    _,   _,    _,   A,    A,   _],
  'GET /v1/stores':                               [_,   _,    _,   _,    _,   A,    A,   A,    A,   _],
  'POST /v1/stores/:id/terminals':                [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'GET /v1/stores/:id/terminals':                 [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'POST /v1/terminals/:id/activation-code':       [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'POST /v1/terminals/:id/retire':                [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'POST /v1/staff':                               [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'GET /v1/staff':                                [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'POST /v1/staff/:id/disable':                   [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'POST /v1/staff/:id/enable':                    [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'POST /v1/staff/:id/invitation':                [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'POST /v1/operators':                           [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'GET /v1/operators':                            [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'POST /v1/operators/:id/permissions':           [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'GET /v1/sales':                                [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'GET /v1/refunds':                              [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  // back-office reports (issue 13): CSV exports, settlement batches, dashboard
  'GET /v1/sales/export.csv':                     [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'GET /v1/refunds/export.csv':                   [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'GET /v1/settlements':                          [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'GET /v1/settlements/:id':                      [_,   _,    _,   _,    _,   _,    A,   A,    F,   _],
  'GET /v1/reports/summary':                      [_,   _,    _,   _,    _,   _,    A,   A,    A,   _],
  'GET /v1/reports/alerts':                       [_,   _,    _,   _,    _,   _,    _,   A,    A,   _],
  'POST /v1/messages/:id/retry':                  [_,   _,    _,   _,    _,   _,    _,   A,    F,   _],
  // second factors (issue 12 item 3): the pending-login cookie of POST /v1/auth/login is the credential of the first two
  'POST /v1/auth/second-factor':                  [A,   _,    A,   A,    A,   _,    _,   _,    _,   _],
  'POST /v1/auth/second-factor/sms':              [A,   _,    A,   A,    A,   _,    _,   _,    _,   _],
  'GET /v1/me/second-factors':                    [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/totp':                             [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/totp/confirm':                     [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/totp/remove':                      [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/sms-factor':                       [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/sms-factor/confirm':               [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/sms-factor/remove':                [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/backup-codes':                     [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  // own account (issue 12 items 5, 6)
  'POST /v1/me/password':                         [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/auth/password-reset':                 [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'POST /v1/auth/password-reset/confirm':         [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /v1/me/sessions':                          [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/sessions/:id/logout':              [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/sessions/logout-all':              [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/locale':                           [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/phone':                            [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/email':                            [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/phone/confirm':                    [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  // passkeys and QR login (issue 12 items 3, 4): the pending-login and QR-binding cookies are the credentials of two
  'POST /v1/me/passkeys/options':                 [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/passkeys':                         [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'GET /v1/me/passkeys':                          [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/me/passkeys/:id/remove':              [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/auth/second-factor/passkey/options':  [A,   _,    A,   A,    A,   _,    _,   _,    _,   _],
  'POST /v1/auth/reauth/passkey/options':         [_,   _,    _,   _,    _,   A,    A,   A,    A,   A],
  'POST /v1/auth/qr-logins':                      [A,   A,    A,   A,    A,   A,    A,   A,    A,   A],
  'GET /v1/auth/qr-logins/:id':                   [A,   _,    A,   A,    A,   _,    _,   _,    _,   _],
  'POST /v1/qr-logins/:id/inspect':               [_,   _,    _,   _,    _,   _,    A,   A,    A,   A],
  'POST /v1/qr-logins/:id/passkey-options':       [_,   _,    _,   _,    _,   _,    A,   A,    A,   A],
  'POST /v1/qr-logins/:id/approve':               [_,   _,    _,   _,    _,   _,    A,   A,    A,   A],
  'POST /v1/qr-logins/:id/deny':                  [_,   _,    _,   _,    _,   _,    A,   A,    A,   A],
};

/**
 * The outcome of an allowed call (outcomes.ts: the status of a success, `status CODE` of a business refusal); 200 where
 * not listed (HEAD answers as its GET).
 */
const SUCCESS: Record<string, number | string> = {
  'GET /docs/static/index.html': 302,
  'GET /': 302,
  'GET /console': 302,
  'GET /pos': 302,
  'POST /v1/terminals/activate': 201,
  'POST /v1/operator-sessions': 201,
  'POST /v1/operator-sessions/sign-out': 204,
  'POST /v1/sales': 201,
  'POST /v1/refunds': 201,
  'POST /v1/settlements': 201,
  'POST /v1/webhook-endpoints': 201,
  'POST /v1/notification-recipients': 201,
  'POST /v1/notification-recipients/:id/confirm': '422 RECIPIENT_CODE_INVALID', // the probe's code is wrong
  'POST /v1/notification-recipients/:id/remove': 204,
  'POST /v1/auth/logout': 204,
  'POST /v1/merchants': 201,
  'POST /v1/stores': 201,
  'POST /v1/stores/:id/terminals': 201,
  'POST /v1/staff': 201,
  'POST /v1/operators': 201,
  'POST /v1/me/totp/remove': 204,
  'POST /v1/me/sms-factor/remove': 204,
  'POST /v1/me/password': '422 PASSWORD_TOO_WEAK', // the probe's new password is too weak: allowed callers reach the strength rule
  'POST /v1/auth/password-reset': 202,
  'POST /v1/apply/phone-codes': 202,
  'POST /v1/apply/applications': 201,
  'POST /v1/me/sessions/:id/logout': 204,
  'POST /v1/me/sessions/logout-all': 204,
  'POST /v1/me/phone': 202, // a code goes to the new number
  'POST /v1/me/phone/confirm': 204,
  'POST /v1/me/email': 204,
  'POST /v1/refund-key/forgotten': 202, // a code goes to the owner's registered phone
  'POST /v1/refund-key/forgotten/confirm': '422 REFUND_KEY_TOO_WEAK', // the probe's new key is too weak: allowed callers reach the key rules
  // The staff callers hold no passkey (TOTP stays their last factor, which the TOTP-removal row relies on): allowed
  // callers get past authorization to the passkey rules (no such passkey; the method is not set up).
  'POST /v1/me/passkeys/:id/remove': '404 PASSKEY_NOT_FOUND',
  'POST /v1/auth/reauth/passkey/options': '422 SECOND_FACTOR_METHOD_UNAVAILABLE',
  'POST /v1/qr-logins/:id/passkey-options': '422 SECOND_FACTOR_METHOD_UNAVAILABLE',
  'POST /v1/qr-logins/:id/approve': '422 SECOND_FACTOR_METHOD_UNAVAILABLE',
  // Issue 15: the probes carry no valid reset code, signature or object id: allowed callers reach those checks.
  'POST /v1/support/resets/account': '401 SUPPORT_RESET_INVALID',
  'POST /v1/support/resets/refund-key': '401 SUPPORT_RESET_INVALID',
  'POST /v1/banks': 201,
  'POST /v1/merchants/:id/settlement-bank': '422 BANK_NOT_FOUND',
  'POST /v1/bank/reset-requests': '401 BANK_SIGNATURE_INVALID',
  'POST /v1/announcements/:id/acknowledge': '404 ANNOUNCEMENT_NOT_FOUND',
  'POST /v1/terminal/announcements/:id/acknowledge': '404 ANNOUNCEMENT_NOT_FOUND',
  'POST /v1/admin/announcements': 201,
  'POST /v1/tickets': 201,
  'GET /v1/tickets/:id': '404 TICKET_NOT_FOUND',
  'POST /v1/tickets/:id/messages': '404 TICKET_NOT_FOUND',
  'POST /v1/tickets/:id/status': '404 TICKET_NOT_FOUND',
};

/**
 * Where an allowed caller's success is a business answer that depends on its role: an owner, manager or admin may not
 * remove the last second factor (409 SECOND_FACTOR_LAST, past authorization); a cashier may.
 */
const LAST_FACTOR = '409 SECOND_FACTOR_LAST';
const SUCCESS_BY_ROLE: Record<string, Partial<Record<Role, number | string>>> = {
  'POST /v1/me/totp/remove': { manager: LAST_FACTOR, owner: LAST_FACTOR, otherOwner: LAST_FACTOR, admin: LAST_FACTOR },
};

/** Routes whose credential is a cookie of a sign-in in progress, not a session or a terminal key: what they refuse with. */
const CREDENTIAL_REFUSAL: Record<string, string> = {
  'POST /v1/auth/second-factor': '401 PENDING_LOGIN_INVALID',
  'POST /v1/auth/second-factor/sms': '401 PENDING_LOGIN_INVALID',
  'POST /v1/auth/second-factor/passkey/options': '401 PENDING_LOGIN_INVALID',
  'GET /v1/auth/qr-logins/:id': '401 QR_LOGIN_BROWSER_REQUIRED',
  // A session cookie is looked at first, then a terminal key: with neither (or a made-up cookie) it is 401 UNAUTHENTICATED.
  'GET /v1/announcements': '401 UNAUTHENTICATED',
};

/**
 * What the other merchant's caller (F) is answered when it names the first merchant's object: as if it did not exist,
 * with the route's own "not found" code; '404 NOT_FOUND' where not listed. The operator-session row names the first
 * merchant's operator number and password, which the other merchant's terminal does not know.
 */
const FOREIGN_REFUSAL: Record<string, string> = {
  'POST /v1/operator-sessions': '401 OPERATOR_CREDENTIALS_INVALID',
  'GET /v1/sales/:id': '404 SALE_NOT_FOUND',
  'POST /v1/refunds': '404 SALE_NOT_FOUND',
  'GET /v1/refunds/:id': '404 REFUND_NOT_FOUND',
  'POST /v1/refunds/:id/authorize': '404 REFUND_NOT_FOUND',
  'POST /v1/refunds/:id/resend-code': '404 REFUND_NOT_FOUND',
  'POST /v1/refunds/:id/cancel': '404 REFUND_NOT_FOUND',
  'POST /v1/approvals/:refund_id/approve': '404 APPROVAL_NOT_FOUND',
  'POST /v1/approvals/:refund_id/deny': '404 APPROVAL_NOT_FOUND',
  'GET /v1/webhook-endpoints/:id/deliveries': '404 WEBHOOK_ENDPOINT_NOT_FOUND',
  'POST /v1/webhook-endpoints/:id/disable': '404 WEBHOOK_ENDPOINT_NOT_FOUND',
  'POST /v1/messages/:id/retry': '404 MESSAGE_NOT_FOUND',
  'POST /v1/notification-recipients/:id/confirm': '404 RECIPIENT_NOT_FOUND',
  'POST /v1/notification-recipients/:id/resend': '404 RECIPIENT_NOT_FOUND',
  'POST /v1/notification-recipients/:id/remove': '404 RECIPIENT_NOT_FOUND',
};

/**
 * The exact refusal of a refused (_) or foreign (F) cell. A terminal route (one a terminal may call) asks first for a
 * terminal key, then for an operator session; a back-office route asks for a session (401 UNAUTHENTICATED), then for
 * a role (403 FORBIDDEN); the sign-in-in-progress routes for their cookie.
 */
function refusalOf(key: string, row: Row, role: Role, cell: Cell): string {
  if (cell === F) return FOREIGN_REFUSAL[key] ?? '404 NOT_FOUND';
  const credential = CREDENTIAL_REFUSAL[key];
  if (credential) return credential;
  if (cellOf(row, 'cashierTerminal') === A) {
    return role === 'terminalOnly' ? '401 OPERATOR_SESSION_REQUIRED' : '401 TERMINAL_KEY_INVALID';
  }
  return isStaffCaller(role) ? '403 FORBIDDEN' : '401 UNAUTHENTICATED';
}

/** An answer's outcome as outcomes.ts writes it; a HEAD answer has no body, so only its status is compared. */
function matches(method: Method, answer: Answer, expected: number | string): boolean {
  const wanted = String(expected);
  return method === 'HEAD' ? String(answer.status) === wanted.split(' ')[0] : outcome(answer) === wanted;
}

/** How many fresh objects a route's allowed callers use up (each takes the next): one per allowed role. */
function allowedCallers(route: string): number {
  return (MATRIX[route] ?? []).filter((cell) => cell === A).length;
}

/** The first merchant's objects that the requests name, and what the suite learns on the way. */
interface Fixtures {
  a: SeededMerchant;
  b: SeededMerchant;
  keyStoreId: string; // the first merchant's second store: its refund-key override is what the key routes edit
  saleId: string;
  batchId: string; // the open batch of the first terminal (the first sale's)
  refundId: string; // waiting for authorization, read and refunded against
  keyRefundId: string; // authorized with the refund key by the allowed terminal
  codeRefundId: string; // needs key + code: resend-code
  cancelRefundId: string;
  approveRefundIds: string[]; // pending approval; the first is named, an allowed approval moves to the next
  denyRefundIds: string[]; // the same for denials
  activationCodes: string[]; // of fresh terminals of the first merchant; an allowed activation moves to the next
  endpointId: string;
  outboxId: string;
  recipients: { pendingId: string; removableId: string }; // the first merchant's, waiting for their codes
  probe: { login: string; password: string }; // a user whose credentials the login row sends
  provisioning: {
    invitationTokens: string[]; // one per allowed accept; an accepted one moves to the next
    retireTerminalIds: string[]; // fresh terminals of the first merchant; a retired one moves to the next
    staffId: string; // a cashier of the first merchant, disabled and enabled again
    invitedStaffId: string; // a cashier who has not accepted, invited again
    operatorStaffId: string; // a cashier with a phone, given operator numbers
    operatorId: string; // the first store's operator 02, whose permissions are set (to all allowed)
  };
  mfa: {
    pending: string[]; // pending logins of a probe admin, one per allowed second-factor call
    backupCodes: string[]; // that admin's backup codes, one per allowed call
    smsPending: string[]; // pending logins for the SMS route (at most 3 codes each)
    totpSecrets: Map<string, string>; // per login: the seed of the newest unconfirmed TOTP enrolment
    smsCodes: Map<string, string>; // per login: the newest SMS enrolment code
    seenSms: Set<string>; // outbox ids of SMS codes already read
    reset: { login: string; phone: string; code: string }; // a cashier's live password-reset code
    extraSessions: Map<string, string>; // per login: a session of the caller's own, for logging out one
    now: () => number; // the test clock, for TOTP codes
  };
  passkeys: {
    registrations: Map<string, unknown>; // per login: a software authenticator's answer to options asked in advance
    pending: string; // a pending login of a probe cashier with a passkey (options do not use it up)
    qr: { id: string; c: string; cookie: string }; // a pending QR login: polled, inspected, approve tried
    denyQrs: Array<{ id: string; c: string }>; // one per allowed deny
    phoneCodes: Map<string, string>; // per login: the code sent to the newest phone asked for
  };
  storeKey: string | undefined; // the current override key of keyStoreId, once set
  applications: ApplicationFixtures; // one object per call of the public application routes, one per review route
  /** Every id of the first merchant: none may appear in an answer to the other merchant. */
  ownIds: string[];
}

interface Probe {
  url: string;
  body?: unknown;
  headers?: Record<string, string>;
  /** Staff and terminal callers use a session signed in for this request only (logout and sign-out end it). */
  freshSession?: boolean;
}

interface ProbeContext {
  f: Fixtures;
  password: string; // the staff caller's login password ('' for the others)
  login: string; // the staff caller's login ('' for the others)
  n: number;
}

const KEY_WORDS = ['Harbor', 'Nutmeg', 'Quill', 'Indigo', 'Osprey', 'Raft', 'Juniper', 'Parrot', 'Sail', 'Lantern'];
function newRefundKey(n: number): string {
  return `${KEY_WORDS[n % 10]}-${KEY_WORDS[(n * 7 + 3) % 10]}-Mosaic-${10 + n}`;
}

/** One plausible request per route, naming the first merchant's objects. */
const PROBES: Record<string, (c: ProbeContext) => Probe> = {
  'GET /healthz': () => ({ url: '/healthz' }),
  'GET /openapi.json': () => ({ url: '/openapi.json' }),
  'GET /docs': () => ({ url: '/docs' }),
  'GET /docs/': () => ({ url: '/docs/' }),
  'GET /docs/static/index.html': () => ({ url: '/docs/static/index.html' }),
  'GET /docs/static/swagger-initializer.js': () => ({ url: '/docs/static/swagger-initializer.js' }),
  'GET /docs/static/*': () => ({ url: '/docs/static/swagger-ui.css' }),
  'GET /docs/json': () => ({ url: '/docs/json' }),
  'GET /docs/yaml': () => ({ url: '/docs/yaml' }),
  // The pages are public shells (global-setup.ts builds them); what they show comes from the API, checked above.
  'GET /': () => ({ url: '/' }),
  'GET /console': () => ({ url: '/console' }),
  'GET /console/': () => ({ url: '/console/' }),
  'GET /console/*': () => ({ url: '/console/approvals' }),
  'GET /pos': () => ({ url: '/pos' }),
  'GET /pos/': () => ({ url: '/pos/' }),
  'GET /pos/*': () => ({ url: '/pos/refund' }),
  'GET /dev/outbox': () => ({ url: `/dev/outbox?to=${OWNER_PHONE}&limit=1` }),
  'POST /v1/terminals/activate': ({ f }) => ({
    url: '/v1/terminals/activate',
    body: { activation_code: f.activationCodes[0] ?? 'ABCD-EFGH-JKLM' },
  }),
  'POST /v1/auth/login': ({ f }) => ({
    url: '/v1/auth/login',
    body: { login: f.probe.login, password: f.probe.password },
  }),
  'POST /v1/operator-sessions': ({ f }) => {
    const operator = f.a.demo.stores[0]?.operators[0];
    return {
      url: '/v1/operator-sessions',
      body: { operator_no: operator?.operator_no ?? '01', password: operator?.password ?? '' },
    };
  },
  'POST /v1/sales': ({ n }) => ({
    url: '/v1/sales',
    body: { amount: 1_000, currency: 'CNY', payment_method: CARD_OK },
    headers: { 'idempotency-key': `matrix-sale-${process.pid}-${n}` },
  }),
  'GET /v1/sales/:id': ({ f }) => ({ url: `/v1/sales/${f.saleId}` }),
  'GET /v1/terminal/sales': () => ({ url: '/v1/terminal/sales?limit=5' }),
  'POST /v1/operator-sessions/sign-out': () => ({ url: '/v1/operator-sessions/sign-out', freshSession: true }),
  'POST /v1/terminal/qr-logins': () => ({ url: '/v1/terminal/qr-logins', body: {} }),
  'POST /v1/refunds': ({ f, n }) => ({
    url: '/v1/refunds',
    body: { sale_id: f.saleId, amount: 100, reason: 'matrix' },
    headers: { 'idempotency-key': `matrix-refund-${process.pid}-${n}` },
  }),
  'GET /v1/refunds/:id': ({ f }) => ({ url: `/v1/refunds/${f.refundId}` }),
  'POST /v1/refunds/:id/authorize': ({ f }) => ({
    url: `/v1/refunds/${f.keyRefundId}/authorize`,
    body: { refund_key: f.a.demo.refund_key },
  }),
  'POST /v1/refunds/:id/resend-code': ({ f }) => ({ url: `/v1/refunds/${f.codeRefundId}/resend-code` }),
  'POST /v1/refunds/:id/cancel': ({ f }) => ({ url: `/v1/refunds/${f.cancelRefundId}/cancel` }),
  'POST /v1/settlements': ({ n }) => ({
    url: '/v1/settlements',
    body: { allow_empty: true },
    headers: { 'idempotency-key': `matrix-settlement-${process.pid}-${n}` },
  }),
  'POST /v1/auth/reauth': ({ password }) => ({
    url: '/v1/auth/reauth',
    body: { password: password || 'Not-The-Password-1' },
  }),
  'GET /v1/auth/me': () => ({ url: '/v1/auth/me' }),
  'POST /v1/auth/logout': () => ({ url: '/v1/auth/logout', freshSession: true }),
  'GET /v1/refund-key': () => ({ url: '/v1/refund-key' }),
  'POST /v1/refund-key/strength': () => ({ url: '/v1/refund-key/strength', body: { key: 'Harbor-Nutmeg-Quill-58' } }),
  'POST /v1/refund-key': ({ f, n }) => {
    const key = newRefundKey(n);
    return { url: '/v1/refund-key', body: { store_id: f.keyStoreId, new_key: key, confirm_key: key } };
  },
  'POST /v1/refund-key/change': ({ f, n }) => {
    const key = newRefundKey(n);
    return {
      url: '/v1/refund-key/change',
      body: { store_id: f.keyStoreId, old_key: f.storeKey ?? f.a.demo.refund_key, new_key: key, confirm_key: key },
    };
  },
  'POST /v1/refund-key/remove-override': ({ f }) => ({
    url: '/v1/refund-key/remove-override',
    body: { store_id: f.keyStoreId },
  }),
  'POST /v1/refund-key/forgotten': () => ({ url: '/v1/refund-key/forgotten', body: {} }),
  'GET /v1/support/merchants': () => ({ url: '/v1/support/merchants?q=demo' }),
  'POST /v1/support/cases': ({ f }) => ({
    url: '/v1/support/cases',
    body: { merchant_id: f.a.demo.merchant_id, kind: 'lost_phone' },
  }),
  'GET /v1/support/cases': () => ({ url: '/v1/support/cases?status=checks_recorded' }),
  'GET /v1/support/cases/:id': () => ({ url: '/v1/support/cases/sca_none' }),
  'POST /v1/support/cases/:id/checks': () => ({
    url: '/v1/support/cases/sca_none/checks',
    body: { kind: 'callback', outcome: 'reached' },
  }),
  'POST /v1/support/cases/:id/approve': () => ({ url: '/v1/support/cases/sca_none/approve', body: {} }),
  'POST /v1/support/cases/:id/phone-change/cancel': () => ({
    url: '/v1/support/cases/sca_none/phone-change/cancel',
    body: {},
  }),
  'POST /v1/support/resets/account': () => ({
    url: '/v1/support/resets/account',
    body: { token: 'rst-not-a-real-code', new_password: 'Granite-Harbour-Kettle-93' },
  }),
  'POST /v1/support/resets/refund-key': () => ({
    url: '/v1/support/resets/refund-key',
    body: { token: 'rst-not-a-real-code', new_key: 'Velvet-Comet-Pasture-61', confirm_key: 'Velvet-Comet-Pasture-61' },
  }),
  'POST /v1/banks': ({ n }) => ({ url: '/v1/banks', body: { name: `Matrix Bank ${n}` } }),
  'POST /v1/merchants/:id/settlement-bank': ({ f }) => ({
    url: `/v1/merchants/${f.a.demo.merchant_id}/settlement-bank`,
    body: { bank_id: 'bnk_none' },
  }),
  'POST /v1/bank/reset-requests': ({ f }) => ({
    url: '/v1/bank/reset-requests',
    body: {
      merchant_id: f.a.demo.merchant_id,
      kind: 'lost_phone',
      verification: { branch: 'Branch', officer: 'Officer', document_type: 'resident_id', last4: '1234' },
    },
  }),
  'GET /v1/announcements': () => ({ url: '/v1/announcements' }),
  'POST /v1/announcements/:id/acknowledge': () => ({ url: '/v1/announcements/ann_none/acknowledge', body: {} }),
  'POST /v1/terminal/announcements/:id/acknowledge': () => ({
    url: '/v1/terminal/announcements/ann_none/acknowledge',
    body: {},
  }),
  'POST /v1/admin/announcements': ({ n }) => ({
    url: '/v1/admin/announcements',
    body: {
      title: `Matrix ${n}`,
      body: 'Body',
      severity: 'info',
      audience: { kind: 'all' },
      starts_at: '2026-01-01T00:00:00.000Z',
      ends_at: '2036-01-01T00:00:00.000Z',
    },
  }),
  'GET /v1/admin/announcements': () => ({ url: '/v1/admin/announcements' }),
  'POST /v1/merchants/:id/audience': ({ f }) => ({
    url: `/v1/merchants/${f.a.demo.merchant_id}/audience`,
    body: { merchant_type: 'restaurant', region: '上海' },
  }),
  'POST /v1/tickets': () => ({ url: '/v1/tickets', body: { category: 'other', text: 'Matrix ticket' } }),
  'GET /v1/tickets': () => ({ url: '/v1/tickets' }),
  'GET /v1/tickets/terminals': () => ({ url: '/v1/tickets/terminals' }),
  'GET /v1/tickets/:id': () => ({ url: '/v1/tickets/tkt_none' }),
  'POST /v1/tickets/:id/messages': () => ({ url: '/v1/tickets/tkt_none/messages', body: { text: 'hello' } }),
  'POST /v1/tickets/:id/status': () => ({ url: '/v1/tickets/tkt_none/status', body: { status: 'closed' } }),
  'POST /v1/refund-key/forgotten/confirm': () => ({
    url: '/v1/refund-key/forgotten/confirm',
    body: { code: '000000', new_key: 'password1234', confirm_key: 'password1234' },
  }),
  'GET /v1/stores/:id/refund-policy': ({ f }) => ({ url: `/v1/stores/${f.a.terminal.storeId}/refund-policy` }),
  'PUT /v1/stores/:id/refund-policy': ({ f }) => ({
    url: `/v1/stores/${f.a.terminal.storeId}/refund-policy`,
    body: {},
  }),
  'POST /v1/stores/:id/refund-policy': ({ f }) => ({
    url: `/v1/stores/${f.a.terminal.storeId}/refund-policy`,
    body: {},
  }),
  'POST /v1/merchants/:id/refund-lock/unlock': ({ f }) => ({
    url: `/v1/merchants/${f.a.demo.merchant_id}/refund-lock/unlock`,
  }),
  'POST /v1/terminals/:id/refund-lock/unlock': ({ f }) => ({
    url: `/v1/terminals/${f.a.terminal.id}/refund-lock/unlock`,
  }),
  'POST /v1/terminals/:id/operator-lock/unlock': ({ f }) => ({
    url: `/v1/terminals/${f.a.terminal.id}/operator-lock/unlock`,
  }),
  'PUT /v1/merchants/:id/refund-settings': ({ f }) => ({
    url: `/v1/merchants/${f.a.demo.merchant_id}/refund-settings`,
    body: { cross_store_refunds: false },
  }),
  'POST /v1/merchants/:id/refund-settings': ({ f }) => ({
    url: `/v1/merchants/${f.a.demo.merchant_id}/refund-settings`,
    body: { cross_store_refunds: false },
  }),
  'GET /v1/approvals': () => ({ url: '/v1/approvals' }),
  'POST /v1/approvals/:refund_id/approve': ({ f }) => ({ url: `/v1/approvals/${f.approveRefundIds[0]}/approve` }),
  'POST /v1/approvals/:refund_id/deny': ({ f }) => ({
    url: `/v1/approvals/${f.denyRefundIds[0]}/deny`,
    body: { reason: 'matrix' },
  }),
  'GET /v1/audit': ({ f }) => ({ url: `/v1/audit?merchant_id=${f.a.demo.merchant_id}&limit=5` }),
  'GET /v1/audit/chain': () => ({ url: '/v1/audit/chain' }),
  'POST /v1/webhook-endpoints': () => ({
    url: '/v1/webhook-endpoints',
    body: { url: 'https://hooks.example.com/refundkey' },
  }),
  'GET /v1/webhook-endpoints': () => ({ url: '/v1/webhook-endpoints' }),
  'GET /v1/webhook-endpoints/:id/deliveries': ({ f }) => ({ url: `/v1/webhook-endpoints/${f.endpointId}/deliveries` }),
  'POST /v1/webhook-endpoints/:id/disable': ({ f }) => ({ url: `/v1/webhook-endpoints/${f.endpointId}/disable` }),
  'GET /v1/notification-recipients': () => ({ url: '/v1/notification-recipients' }),
  'POST /v1/notification-recipients': ({ n }) => ({
    url: '/v1/notification-recipients',
    body: { channel: 'email', address: `matrix-${process.pid}-${n}@example.com`, label: 'matrix' },
  }),
  'POST /v1/notification-recipients/:id/confirm': ({ f }) => ({
    url: `/v1/notification-recipients/${f.recipients.pendingId}/confirm`,
    body: { code: 'wrong' },
  }),
  'POST /v1/notification-recipients/:id/resend': ({ f }) => ({
    url: `/v1/notification-recipients/${f.recipients.pendingId}/resend`,
  }),
  'POST /v1/notification-recipients/:id/remove': ({ f }) => ({
    url: `/v1/notification-recipients/${f.recipients.removableId}/remove`,
  }),
  'GET /v1/ops/outbox': () => ({ url: '/v1/ops/outbox' }),
  'POST /v1/ops/outbox/:id/retry': ({ f }) => ({ url: `/v1/ops/outbox/${f.outboxId}/retry` }),
  'POST /v1/auth/invitations/accept': ({ f }) => ({
    url: '/v1/auth/invitations/accept',
    body: { token: f.provisioning.invitationTokens[0] ?? 'inv_none', password: 'Lantern-Quokka-Mosaic-47' },
  }),
  'POST /v1/merchants': ({ n }) => ({
    url: '/v1/merchants',
    body: { name: `matrix ${n}`, owner: { login: `matrix-owner-${process.pid}-${n}`, name: 'O', email: 'o@x.test' } },
  }),
  'GET /v1/rate-plans': () => ({ url: '/v1/rate-plans' }),
  'GET /v1/apply/rate-plans': () => ({ url: '/v1/apply/rate-plans' }),
  'GET /v1/apply/challenge': () => ({ url: '/v1/apply/challenge' }),
  'POST /v1/apply/phone-codes': ({ n }) => ({
    url: '/v1/apply/phone-codes',
    body: { phone: `1590${String(n).padStart(7, '0')}` },
  }),
  'POST /v1/apply/phone-codes/verify': ({ f }) => ({
    url: '/v1/apply/phone-codes/verify',
    body: f.applications.codes.shift() ?? { phone: '15900000000', code: '000000' },
  }),
  'POST /v1/apply/applications': ({ f }) => ({
    url: '/v1/apply/applications',
    body: f.applications.submissions.shift() ?? {},
  }),
  'GET /v1/apply/status': ({ f }) => ({
    url: `/v1/apply/status?token=${encodeURIComponent(f.applications.statusToken)}`,
  }),
  'POST /v1/apply/status/amend': ({ f }) => ({
    url: '/v1/apply/status/amend',
    body: { ...APPLICATION_DETAILS, token: f.applications.amendTokens.shift() ?? 'aps_none' },
  }),
  'GET /v1/applications': () => ({ url: '/v1/applications?status=submitted' }),
  'GET /v1/applications/:id': ({ f }) => ({ url: `/v1/applications/${f.applications.review.readId}` }),
  'POST /v1/applications/:id/approve': ({ f }) => ({
    url: `/v1/applications/${f.applications.review.approveId}/approve`,
    body: {},
  }),
  'POST /v1/applications/:id/reject': ({ f }) => ({
    url: `/v1/applications/${f.applications.review.rejectId}/reject`,
    body: { reason: 'matrix' },
  }),
  'POST /v1/applications/:id/request-info': ({ f }) => ({
    url: `/v1/applications/${f.applications.review.infoId}/request-info`,
    body: { message: 'matrix' },
  }),
  'POST /v1/merchants/:id/rate-plan': ({ f }) => ({
    url: `/v1/merchants/${f.a.demo.merchant_id}/rate-plan`,
    body: { rate_plan_id: 'standard' },
  }),
  'GET /v1/merchants/:id/rate-plan': ({ f }) => ({ url: `/v1/merchants/${f.a.demo.merchant_id}/rate-plan` }),
  'POST /v1/stores': ({ n }) => ({ url: '/v1/stores', body: { name: `matrix store ${n}` } }),
  'GET /v1/stores': () => ({ url: '/v1/stores' }),
  'GET /v1/stores/:id/terminals': ({ f }) => ({ url: `/v1/stores/${f.a.terminal.storeId}/terminals` }),
  'POST /v1/stores/:id/terminals': ({ f }) => ({ url: `/v1/stores/${f.a.terminal.storeId}/terminals`, body: {} }),
  'POST /v1/terminals/:id/activation-code': ({ f }) => ({
    url: `/v1/terminals/${f.provisioning.retireTerminalIds.at(-1)}/activation-code`,
  }),
  'POST /v1/terminals/:id/retire': ({ f }) => ({ url: `/v1/terminals/${f.provisioning.retireTerminalIds[0]}/retire` }),
  'POST /v1/staff': ({ n }) => ({
    url: '/v1/staff',
    body: { login: `matrix-staff-${process.pid}-${n}`, name: 'S', role: 'cashier', email: 's@x.test' },
  }),
  'GET /v1/staff': () => ({ url: '/v1/staff' }),
  'POST /v1/staff/:id/disable': ({ f }) => ({ url: `/v1/staff/${f.provisioning.staffId}/disable` }),
  'POST /v1/staff/:id/enable': ({ f }) => ({ url: `/v1/staff/${f.provisioning.staffId}/enable` }),
  'POST /v1/staff/:id/invitation': ({ f }) => ({ url: `/v1/staff/${f.provisioning.invitedStaffId}/invitation` }),
  'POST /v1/operators': ({ f, n }) => ({
    url: '/v1/operators',
    body: {
      store_id: f.a.terminal.storeId,
      staff_id: f.provisioning.operatorStaffId,
      operator_no: String(10 + (n % 90)),
    },
  }),
  'GET /v1/operators': () => ({ url: '/v1/operators' }),
  'POST /v1/operators/:id/permissions': ({ f }) => ({
    url: `/v1/operators/${f.provisioning.operatorId}/permissions`,
    body: {},
  }),
  'GET /v1/sales': () => ({ url: '/v1/sales?limit=5' }),
  'GET /v1/refunds': () => ({ url: '/v1/refunds?limit=5' }),
  'GET /v1/sales/export.csv': () => ({ url: '/v1/sales/export.csv' }),
  'GET /v1/refunds/export.csv': () => ({ url: '/v1/refunds/export.csv' }),
  'GET /v1/settlements': () => ({ url: '/v1/settlements?limit=5' }),
  'GET /v1/settlements/:id': ({ f }) => ({ url: `/v1/settlements/${f.batchId}` }),
  'GET /v1/reports/summary': () => ({ url: '/v1/reports/summary?from=2026-12-01&to=2026-12-05' }),
  'GET /v1/reports/alerts': () => ({ url: '/v1/reports/alerts' }),
  'POST /v1/messages/:id/retry': ({ f }) => ({ url: `/v1/messages/${f.outboxId}/retry` }),
  'POST /v1/auth/second-factor': ({ f }) => ({
    url: '/v1/auth/second-factor',
    body: { method: 'backup_code', code: f.mfa.backupCodes[0] ?? 'none-none' },
    headers: { cookie: `rk_pending=${f.mfa.pending[0] ?? 'none'}` },
  }),
  'POST /v1/auth/second-factor/sms': ({ f }) => ({
    url: '/v1/auth/second-factor/sms',
    headers: { cookie: `rk_pending=${f.mfa.smsPending[0] ?? 'none'}` },
  }),
  'GET /v1/me/second-factors': () => ({ url: '/v1/me/second-factors' }),
  'POST /v1/me/totp': () => ({ url: '/v1/me/totp' }),
  'POST /v1/me/totp/confirm': ({ f, login }) => ({
    url: '/v1/me/totp/confirm',
    body: { code: totpCode(f.mfa.totpSecrets.get(login) ?? 'AAAAAAAA', f.mfa.now()) },
  }),
  'POST /v1/me/totp/remove': () => ({ url: '/v1/me/totp/remove' }),
  'POST /v1/me/sms-factor': () => ({ url: '/v1/me/sms-factor' }),
  'POST /v1/me/sms-factor/confirm': ({ f, login }) => ({
    url: '/v1/me/sms-factor/confirm',
    body: { code: f.mfa.smsCodes.get(login) ?? '000000' },
  }),
  'POST /v1/me/sms-factor/remove': () => ({ url: '/v1/me/sms-factor/remove' }),
  'POST /v1/me/backup-codes': () => ({ url: '/v1/me/backup-codes' }),
  'POST /v1/me/password': ({ password }) => ({
    url: '/v1/me/password',
    body: { old_password: password, new_password: 'password' },
  }),
  'POST /v1/auth/password-reset': ({ n }) => ({
    url: '/v1/auth/password-reset',
    body: { login: `nobody-${n}@test.refundkey.test`, channel: 'sms' },
  }),
  'POST /v1/auth/password-reset/confirm': ({ f }) => ({
    url: '/v1/auth/password-reset/confirm',
    body: { login: f.mfa.reset.login, code: f.mfa.reset.code, new_password: 'Osprey-Lantern-Mosaic-61' },
  }),
  'GET /v1/me/sessions': () => ({ url: '/v1/me/sessions' }),
  'POST /v1/me/sessions/:id/logout': ({ f, login }) => ({
    url: `/v1/me/sessions/${f.mfa.extraSessions.get(login) ?? 'ses_none'}/logout`,
  }),
  'POST /v1/me/sessions/logout-all': () => ({ url: '/v1/me/sessions/logout-all', freshSession: true }),
  'POST /v1/me/locale': () => ({ url: '/v1/me/locale', body: { locale: 'zh-CN' } }),
  'POST /v1/me/phone': ({ n }) => ({ url: '/v1/me/phone', body: { phone: `1366${String(n).padStart(7, '0')}` } }),
  'POST /v1/me/email': ({ n }) => ({ url: '/v1/me/email', body: { email: `matrix-${n}@test.refundkey.test` } }),
  'POST /v1/me/phone/confirm': ({ f, login }) => ({
    url: '/v1/me/phone/confirm',
    body: { code: f.passkeys.phoneCodes.get(login) ?? '000000' },
  }),
  'POST /v1/me/passkeys/options': () => ({ url: '/v1/me/passkeys/options' }),
  'POST /v1/me/passkeys': ({ f, login }) => ({
    url: '/v1/me/passkeys',
    body: { name: 'matrix', response: f.passkeys.registrations.get(login) ?? NO_PASSKEY_ANSWER },
  }),
  'GET /v1/me/passkeys': () => ({ url: '/v1/me/passkeys' }),
  'POST /v1/me/passkeys/:id/remove': () => ({ url: '/v1/me/passkeys/pk_none/remove' }),
  'POST /v1/auth/second-factor/passkey/options': ({ f }) => ({
    url: '/v1/auth/second-factor/passkey/options',
    headers: { cookie: `rk_pending=${f.passkeys.pending}` },
  }),
  'POST /v1/auth/reauth/passkey/options': () => ({ url: '/v1/auth/reauth/passkey/options' }),
  'POST /v1/auth/qr-logins': () => ({ url: '/v1/auth/qr-logins' }),
  'GET /v1/auth/qr-logins/:id': ({ f }) => ({
    url: `/v1/auth/qr-logins/${f.passkeys.qr.id}`,
    headers: { cookie: `rk_qr=${f.passkeys.qr.cookie}` },
  }),
  'POST /v1/qr-logins/:id/inspect': ({ f }) => ({
    url: `/v1/qr-logins/${f.passkeys.qr.id}/inspect`,
    body: { c: f.passkeys.qr.c },
  }),
  'POST /v1/qr-logins/:id/passkey-options': ({ f }) => ({
    url: `/v1/qr-logins/${f.passkeys.qr.id}/passkey-options`,
    body: { c: f.passkeys.qr.c },
  }),
  'POST /v1/qr-logins/:id/approve': ({ f }) => ({
    url: `/v1/qr-logins/${f.passkeys.qr.id}/approve`,
    body: { c: f.passkeys.qr.c, method: 'passkey', response: NO_PASSKEY_ANSWER },
  }),
  'POST /v1/qr-logins/:id/deny': ({ f }) => {
    const qr = f.passkeys.denyQrs[0] ?? { id: 'qrl_none', c: 'none' };
    return { url: `/v1/qr-logins/${qr.id}/deny`, body: { c: qr.c } };
  },
};

/** What an applicant amends (test/applications/apply-helpers.ts). */
const APPLICATION_DETAILS = details();

/** A well-formed passkey answer that no server challenge matches. */
const NO_PASSKEY_ANSWER = {
  id: 'AAAA',
  rawId: 'AAAA',
  type: 'public-key',
  response: { clientDataJSON: 'e30', authenticatorData: 'AAAA', signature: 'AAAA', attestationObject: 'AAAA' },
  clientExtensionResults: {},
};

/** Refusals must change nothing but what docs/security.md makes them record; a session's last-seen time is left out too. */
const SKIP = {
  tables: RECORDS_REFUSALS.tables,
  columns: new RegExp(`${RECORDS_REFUSALS.columns.source}|last_seen`, 'i'),
};

type Method = 'GET' | 'HEAD' | 'POST' | 'PUT';
const METHODS: readonly string[] = ['GET', 'HEAD', 'POST', 'PUT'] satisfies Method[];
function isMethod(value: string): value is Method {
  return METHODS.includes(value);
}

function cellOf(row: Row, role: Role): Cell {
  return row[ROLES.indexOf(role)] ?? _;
}

function isStaffCaller(role: Role): role is StaffCaller {
  return role === 'cashier' || role === 'manager' || role === 'owner' || role === 'otherOwner' || role === 'admin';
}

// The two databases' matrices run at the same time (each on its own app and database, each in order): SQLite's work is
// this process's CPU, PostgreSQL's mostly the server's, so together they take little more than the longer one alone.
describe.concurrent.each(DIALECTS)('authorization matrix [%s]', (dialect) => {
  let t: TestApp;
  let f: Fixtures;
  let routes: string[];
  const staff = new Map<StaffCaller, { client: StaffClient; login: string; password: string }>();
  let seq = 0;

  beforeAll(async () => {
    t = await TestApp.start(dialect);
    const a = await t.seedMerchant();
    const b = await t.seedMerchant();
    const merchantId = a.demo.merchant_id;

    const credentials: Record<StaffCaller, { login: string; password: string }> = {
      cashier: await createStaffUser(t, merchantId, 'cashier'),
      manager: a.demo.manager,
      owner: a.demo.owner,
      otherOwner: b.demo.owner,
      admin: await createStaffUser(t, null, 'admin'),
    };
    for (const [role, user] of Object.entries(credentials) as Array<
      [StaffCaller, { login: string; password: string }]
    >) {
      const client = await StaffClient.signIn(t, user.login, user.password);
      await client.reauth(); // sensitive routes need a re-authentication ≤ 5 min old; the test clock stands still
      staff.set(role, { client, ...user });
    }
    const probe = await createStaffUser(t, merchantId, 'cashier');
    const provisioning = await provisioningFixtures(t, a, staff.get('owner')?.client, allowedCallers);
    const mfa = await mfaFixtures(t, merchantId, staff, allowedCallers);
    const passkeys = await passkeyFixtures(t, merchantId, staff, allowedCallers);

    const firstSale = await a.terminal.sale(WITH_APPROVAL);
    const saleId = firstSale.id as string;
    const batchId = firstSale.batch_id as string;
    const startRefund = async (saleAmount: number, amount = saleAmount): Promise<string> => {
      const sale = await a.terminal.sale(saleAmount);
      const answer = await a.terminal.post('/v1/refunds', { sale_id: sale.id, amount, reason: 'matrix fixture' });
      if (answer.status !== 201) throw new Error(`refund failed: ${answer.status} ${JSON.stringify(answer.body)}`);
      return answer.body.id as string;
    };
    const pendingApproval = async (): Promise<string> => {
      const id = await startRefund(WITH_APPROVAL);
      const answer = await a.terminal.post(`/v1/refunds/${id}/authorize`, {
        refund_key: a.demo.refund_key,
        code: await codeOf(t, id),
      });
      if (answer.body?.status !== 'pending_approval')
        throw new Error(`not pending approval: ${JSON.stringify(answer.body)}`);
      return id;
    };
    const refundId = await startRefund(5_000, 100);
    const keyRefundId = await startRefund(5_000, 100);
    const codeRefundId = await startRefund(KEY_AND_CODE);
    const cancelRefundId = await startRefund(5_000, 100);
    const approveRefundIds: string[] = [];
    const denyRefundIds: string[] = [];
    const activationCodes: string[] = [];
    for (let i = 0; i < allowedCallers('POST /v1/approvals/:refund_id/approve'); i++)
      approveRefundIds.push(await pendingApproval());
    for (let i = 0; i < allowedCallers('POST /v1/approvals/:refund_id/deny'); i++)
      denyRefundIds.push(await pendingApproval());
    for (let i = 0; i < allowedCallers('POST /v1/terminals/activate'); i++) {
      const fresh = await t.services.terminals.createTerminal({
        merchantId,
        storeId: a.terminal.storeId,
        name: `POS-matrix-${i}`,
      });
      activationCodes.push(fresh.activationCode);
      t.secrets.add('activation code', fresh.activationCode);
    }
    const endpoint = await t.services.webhooks.createEndpoint({ merchantId, url: 'https://hooks.example.com/a' });
    const recipients = await recipientFixtures(staff.get('owner')?.client);
    const outbox = (await t.services.outbox.listFor(OWNER_PHONE, 1))[0];
    if (!outbox) throw new Error('no message queued for the owner');
    const keyStoreId = a.demo.stores[1]?.id;
    if (!keyStoreId) throw new Error('the demo merchant has a single store');

    const ownIds = [
      merchantId,
      ...a.demo.stores.flatMap((s) => [s.id, ...s.terminals.map((x) => x.id)]),
      saleId,
      batchId,
      refundId,
      keyRefundId,
      codeRefundId,
      cancelRefundId,
      ...approveRefundIds,
      ...denyRefundIds,
      endpoint.endpoint.id,
      recipients.pendingId,
      recipients.removableId,
    ];
    const applications = await applicationFixtures(t, staff.get('admin')?.client.user.id ?? '');
    f = {
      a,
      b,
      keyStoreId,
      saleId,
      batchId,
      refundId,
      keyRefundId,
      codeRefundId,
      cancelRefundId,
      approveRefundIds,
      denyRefundIds,
      activationCodes,
      endpointId: endpoint.endpoint.id,
      outboxId: outbox.id,
      recipients,
      probe,
      provisioning,
      storeKey: undefined,
      mfa,
      passkeys,
      applications,
      ownIds,
    };

    await t.app.server.ready();
    routes = registeredRoutes(t.app.server).map((r) => `${r.method} ${r.url}`);
  });
  afterAll(async () => t?.close());

  it('the table has one row for every route of the app (HEAD follows GET), and no row for a route that is gone', ({
    expect,
  }) => {
    const appKeys = new Set(routes.map((key) => key.replace(/^HEAD /, 'GET ')));
    expect({
      routesWithoutRow: [...appKeys].filter((key) => !(key in MATRIX)).sort(),
      rowsWithoutRoute: Object.keys(MATRIX)
        .filter((key) => !appKeys.has(key))
        .sort(),
      rowsWithoutProbe: Object.keys(MATRIX)
        .filter((key) => !(key in PROBES))
        .sort(),
      headWithoutGet: routes.filter(
        (key) => key.startsWith('HEAD ') && !routes.includes(key.replace(/^HEAD /, 'GET ')),
      ),
    }).toEqual({ routesWithoutRow: [], rowsWithoutRoute: [], rowsWithoutProbe: [], headWithoutGet: [] });
    expect(routes.length).toBeGreaterThan(Object.keys(MATRIX).length); // HEAD twins included: the parse found them all
  });

  it('every role against every route answers as the table says, and refusals change nothing', async ({ expect }) => {
    const failures: string[] = [];
    const summary: string[] = [];
    // A full checksum before and after each refusal, taken only when a write happened since the last one (ChangeWatch).
    const watch = new ChangeWatch(t.db, dialect, SKIP);

    for (const key of routes) {
      const [method = ''] = key.split(' ');
      if (!isMethod(method)) {
        failures.push(`${key}: a method this suite cannot send`);
        continue;
      }
      const row = MATRIX[key.replace(/^HEAD /, 'GET ')];
      const probeOf = PROBES[key.replace(/^HEAD /, 'GET ')];
      if (!row || !probeOf) continue; // reported by the first test
      const isPublic = row.every((cell) => cell === A);
      // Refusals first, so that the allowed calls (which may cancel, approve or sign out) cannot hide a refusal's effect.
      const order = [...ROLES].sort((x, y) => Number(cellOf(row, x) === A) - Number(cellOf(row, y) === A));
      const statuses: string[] = [];
      for (const role of order) {
        const cell = cellOf(row, role);
        const caller = isStaffCaller(role) ? staff.get(role) : undefined;
        const probe = probeOf({ f, password: caller?.password ?? '', login: caller?.login ?? '', n: ++seq });
        if (cell !== A) await watch.settle();
        // A fresh session is signed in only for an allowed call that ends it: signed in for a refused one, its rows
        // would be counted as the refusal's.
        const answer = await send(role, method, cell === A ? probe : { ...probe, freshSession: false });
        statuses.push(`${role}(${cell})=${outcome(answer)}`);
        const where = `${key} as ${role} (${cell}) → ${answer.status} ${JSON.stringify(answer.body ?? null).slice(0, 200)}`;
        if (answer.status >= 500) failures.push(`${where}: a 5xx`);
        if (cell === A) {
          const success = SUCCESS_BY_ROLE[key]?.[role] ?? SUCCESS[key.replace(/^HEAD /, 'GET ')] ?? 200;
          const allowed = matches(method, answer, success);
          if (!allowed) failures.push(`${where}: an allowed call must answer exactly ${success}`);
          if ((role === 'otherTerminal' || role === 'otherOwner') && !isPublic) {
            const text = JSON.stringify(answer.body ?? null);
            const leaked = f.ownIds.filter((id) => text.includes(id));
            if (leaked.length > 0) failures.push(`${where}: the other merchant sees ${leaked.join(', ')}`);
          }
          if (allowed) await learn(key, probe, answer, caller?.login ?? '');
          watch.touched();
          continue;
        }
        const expected = refusalOf(key.replace(/^HEAD /, 'GET '), row, role, cell);
        if (!matches(method, answer, expected)) failures.push(`${where}: expected exactly ${expected}`);
        if (method !== 'HEAD' && typeof answer.body?.error?.code !== 'string')
          failures.push(`${where}: no error envelope`);
        const changed = await watch.changes();
        if (changed.length > 0) failures.push(`${where}: a refused request changed ${changed.join(', ')}`);
      }
      summary.push(`${key}: ${statuses.join(' ')}`);
    }
    if (process.env.MATRIX_VERBOSE) console.log(summary.join('\n'));
    expect(failures).toEqual([]);
  }, 240_000);

  /**
   * Follow state the later probes depend on, so that the next allowed caller can succeed too: the store's current
   * refund key (an override removed is set again), and the next fresh approval or terminal.
   */
  async function learn(key: string, probe: Probe, answer: Answer, login: string): Promise<void> {
    await learnSecondFactors(t, f, key, answer, login);
    if (key === 'POST /v1/me/sessions/:id/logout') f.mfa.extraSessions.delete(login);
    if (key === 'POST /v1/me/sessions/logout-all') {
      // Every session of the caller ended: sign in again for the rows still to come.
      for (const [role, caller] of staff) {
        if (caller.login !== login) continue;
        const client = await StaffClient.signIn(t, caller.login, caller.password);
        await client.reauth();
        staff.set(role, { ...caller, client });
        const extra = await StaffClient.signIn(t, caller.login, caller.password);
        f.mfa.extraSessions.set(login, String((await extra.get('/v1/auth/me')).body.session.id));
      }
    }
    if (key === 'POST /v1/refund-key' || key === 'POST /v1/refund-key/change') {
      const body = probe.body as { new_key?: string } | undefined;
      f.storeKey = body?.new_key;
    }
    if (key === 'POST /v1/refund-key/remove-override') {
      const owner = staff.get('owner');
      if (!owner) throw new Error('no owner client');
      const again = newRefundKey(++seq);
      const set = await owner.client.post('/v1/refund-key', {
        store_id: f.keyStoreId,
        new_key: again,
        confirm_key: again,
      });
      if (set.status !== 200) throw new Error(`override not set again: ${set.status} ${JSON.stringify(set.body)}`);
      f.storeKey = again;
    }
    if (key === 'POST /v1/approvals/:refund_id/approve') f.approveRefundIds.shift();
    if (key === 'POST /v1/approvals/:refund_id/deny') f.denyRefundIds.shift();
    if (key === 'POST /v1/terminals/activate') f.activationCodes.shift();
    if (key === 'POST /v1/auth/invitations/accept') f.provisioning.invitationTokens.shift();
    // A registered passkey is taken away again, so that TOTP stays the callers' last factor for the rows still to come.
    if (key === 'POST /v1/me/passkeys') await t.db.deleteFrom('passkeys').where('id', '=', answer.body.id).execute();
    if (key === 'POST /v1/qr-logins/:id/deny') f.passkeys.denyQrs.shift();
    if (key === 'POST /v1/me/phone') {
      const phone = String((probe.body as { phone?: string } | undefined)?.phone);
      f.passkeys.phoneCodes.set(login, await newPhoneCode(t, phone));
    }
    if (key === 'POST /v1/terminals/:id/retire') f.provisioning.retireTerminalIds.shift();
  }

  /** The merchant's terminal key and operator session; a session of its own for a probe that ends it. */
  async function terminalHeaders(m: SeededMerchant, probe: Probe): Promise<Record<string, string>> {
    if (!probe.freshSession) return m.terminal.headers();
    const operator = m.demo.stores[0]?.operators[0];
    const body = { operator_no: operator?.operator_no, password: operator?.password };
    const answer = await inject(t, 'POST', '/v1/operator-sessions', body, {
      authorization: `Bearer ${m.terminal.key}`,
    });
    if (answer.status !== 201) throw new Error(`operator sign-in failed: ${JSON.stringify(answer.body)}`);
    return m.terminal.headers({ 'x-operator-session': String(answer.body.operator_session) });
  }

  async function send(role: Role, method: Method, probe: Probe): Promise<Answer> {
    const headers: Record<string, string> = { ...probe.headers };
    let client: StaffClient | undefined;
    switch (role) {
      case 'anonymous':
        break;
      case 'forged':
        Object.assign(headers, {
          authorization: `Bearer tk_${'x'.repeat(43)}`,
          'x-operator-session': `os_${'x'.repeat(43)}`,
          cookie: `rk_session=${'x'.repeat(43)}`,
          'x-csrf-token': 'x'.repeat(43),
        });
        break;
      case 'cashierTerminal':
        Object.assign(headers, await terminalHeaders(f.a, probe));
        break;
      case 'terminalOnly':
        headers.authorization = `Bearer ${f.a.terminal.key}`;
        break;
      case 'otherTerminal':
        Object.assign(headers, await terminalHeaders(f.b, probe));
        break;
      default: {
        const caller = staff.get(role);
        if (!caller) throw new Error(`no staff client for ${role}`);
        client = probe.freshSession ? await StaffClient.signIn(t, caller.login, caller.password) : caller.client;
        Object.assign(headers, client.headers({ csrf: method !== 'GET' && method !== 'HEAD' }));
      }
    }
    const answer = await inject(t, method, probe.url, probe.body, headers);
    // A re-authentication gives the session a new id and CSRF token: keep using it.
    const token = sessionCookieOf(answer);
    if (client && token && probe.url === '/v1/auth/reauth' && answer.status === 200) {
      client.token = token;
      client.csrf = String(answer.body.csrf_token);
    }
    return answer;
  }
});

/** The objects the provisioning rows name (issue 12): fresh ones for each allowed caller that uses one up. */
async function provisioningFixtures(
  t: TestApp,
  a: SeededMerchant,
  owner: StaffClient | undefined,
  allowed: (route: string) => number,
): Promise<Fixtures['provisioning']> {
  if (!owner) throw new Error('no owner client');
  const merchantId = a.demo.merchant_id;
  const invitationTokens: string[] = [];
  for (let i = 0; i < allowed('POST /v1/auth/invitations/accept'); i++) {
    const phone = `1370000${String(i).padStart(4, '0')}`;
    const login = `matrix-invitee-${process.pid}-${i}`;
    const invited = await owner.post('/v1/staff', { login, name: 'I', role: 'cashier', phone });
    if (invited.status !== 201) throw new Error(`invite failed: ${JSON.stringify(invited.body)}`);
    const row = (await t.services.outbox.listFor(phone, 5)).find((m) => m.template === 'staff_invitation');
    if (!row) throw new Error(`no invitation to ${phone}`);
    invitationTokens.push(String(t.services.outbox.parameters(row).token));
  }
  const retireTerminalIds: string[] = [];
  for (let i = 0; i <= allowed('POST /v1/terminals/:id/retire'); i++) {
    const made = await t.services.terminals.createTerminal({ merchantId, storeId: a.terminal.storeId, name: 'R' });
    retireTerminalIds.push(made.terminalId); // the last is never retired: activation codes are reissued on it
  }
  const person = (name: string, phone?: string) =>
    t.services.staff.createUser({
      merchantId,
      role: 'cashier',
      login: `${name}-${process.pid}`,
      name,
      phone,
      email: `${name}@x.test`,
    });
  const operator = await t.db
    .selectFrom('operators')
    .select('id')
    .where('store_id', '=', a.terminal.storeId)
    .where('operator_no', '=', '02')
    .executeTakeFirstOrThrow();
  return {
    invitationTokens,
    retireTerminalIds,
    staffId: (await person('matrix-disabled', undefined)).id,
    invitedStaffId: (await person('matrix-invited', undefined)).id,
    operatorStaffId: (await person('matrix-operator', '13700009999')).id,
    operatorId: operator.id,
  };
}

/** Two notification recipients of the first merchant waiting for their codes: one confirmed and resent, one removed. */
async function recipientFixtures(owner: StaffClient | undefined): Promise<Fixtures['recipients']> {
  if (!owner) throw new Error('no owner client');
  const add = async (name: string) => {
    const answer = await owner.post('/v1/notification-recipients', {
      channel: 'email',
      address: `${name}-${process.pid}@example.com`,
      label: name,
    });
    if (answer.status !== 201) throw new Error(`recipient failed: ${JSON.stringify(answer.body)}`);
    return answer.body.id as string;
  };
  return { pendingId: await add('matrix-recipient'), removableId: await add('matrix-removable') };
}

async function inject(
  t: TestApp,
  method: Method,
  url: string,
  body: unknown,
  headers: Record<string, string>,
): Promise<Answer> {
  const withBody = method !== 'GET' && method !== 'HEAD';
  const response = await t.app.server.inject({
    method,
    url,
    headers: { ...(withBody ? { 'content-type': 'application/json' } : {}), ...headers },
    ...(withBody ? { payload: JSON.stringify(body ?? {}) } : {}),
  });
  const type = String(response.headers['content-type'] ?? '');
  let parsed: unknown = response.body;
  if (type.includes('json') && response.body) parsed = JSON.parse(response.body);
  return { status: response.statusCode, body: parsed, headers: response.headers };
}

/**
 * The second-factor rows (issue 12 item 3): a probe admin with TOTP and SMS whose pending logins and backup codes the
 * allowed second-factor calls use up; every staff caller with a phone (SMS enrolment) and the cashier with TOTP (so
 * that it has a factor to regenerate backup codes for and to remove).
 */
async function mfaFixtures(
  t: TestApp,
  merchantId: string,
  staff: Map<StaffCaller, { client: StaffClient; login: string; password: string }>,
  allowed: (route: string) => number,
): Promise<Fixtures['mfa']> {
  let phone = 13_650_000_000;
  for (const { login } of staff.values()) {
    const user = await t.services.staff.findByLogin(login);
    if (user && !user.phone) {
      await t.db
        .updateTable('users')
        .set({ phone: String(++phone) })
        .where('id', '=', user.id)
        .execute();
    }
  }
  const cashier = staff.get('cashier');
  if (!cashier) throw new Error('no cashier client');
  await cashier.client.enrolTotp();

  // A platform admin: a caller of another merchant signing in with it learns no id of the first merchant.
  const probe = await createStaffUser(t, null, 'admin');
  const probePhone = String(++phone);
  await t.db.updateTable('users').set({ phone: probePhone }).where('login', '=', probe.login).execute();
  const owner = await StaffClient.signIn(t, probe.login, probe.password);
  if ((await owner.post('/v1/me/sms-factor', {})).status !== 200) throw new Error('sms enrolment failed');
  const seenSms = new Set<string>();
  const code = await newSmsCode(t, probePhone, seenSms);
  const confirmed = await owner.post('/v1/me/sms-factor/confirm', { code });
  if (confirmed.status !== 200) throw new Error(`sms confirm failed: ${JSON.stringify(confirmed.body)}`);
  const backupCodes = confirmed.body.backup_codes as string[];
  for (const c of backupCodes) t.secrets.add('backup code', c);
  const pendingLogin = async () => {
    const answer = await t.request('POST', '/v1/auth/login', {
      body: { login: probe.login, password: probe.password },
    });
    const pending = pendingCookieOf(answer);
    if (!pending) throw new Error(`no pending login: ${JSON.stringify(answer.body)}`);
    return pending;
  };
  const pending: string[] = [];
  const smsPending: string[] = [];
  for (let i = 0; i < allowed('POST /v1/auth/second-factor'); i++) pending.push(await pendingLogin());
  for (let i = 0; i < allowed('POST /v1/auth/second-factor/sms'); i++) smsPending.push(await pendingLogin());
  // A cashier with a phone whose password is reset by each allowed call, and an extra session of every staff caller.
  const resetLogin = await createStaffUser(t, merchantId, 'cashier');
  const resetPhone = String(++phone);
  await t.db.updateTable('users').set({ phone: resetPhone }).where('login', '=', resetLogin.login).execute();
  await t.request('POST', '/v1/auth/password-reset', { body: { login: resetLogin.login, channel: 'sms' } });
  const extraSessions = new Map<string, string>();
  for (const { login, password } of staff.values()) {
    const extra = await StaffClient.signIn(t, login, password);
    const me = await extra.get('/v1/auth/me');
    extraSessions.set(login, String(me.body.session.id));
  }
  return {
    reset: { login: resetLogin.login, phone: resetPhone, code: await newResetCode(t, resetPhone) },
    extraSessions,
    pending,
    backupCodes,
    smsPending,
    totpSecrets: new Map(),
    smsCodes: new Map(),
    seenSms,
    now: () => t.clock.now(),
  };
}

/**
 * The passkey and QR-login rows (issue 12 items 3, 4): a software authenticator's registration answer for each staff
 * caller (to options asked now; the clock stands still), a probe cashier with a passkey and a pending login, and
 * pending QR logins with their secrets and binding cookies.
 */
async function passkeyFixtures(
  t: TestApp,
  merchantId: string,
  staff: Map<StaffCaller, { client: StaffClient; login: string; password: string }>,
  allowed: (route: string) => number,
): Promise<Fixtures['passkeys']> {
  const registrations = new Map<string, unknown>();
  const phoneCodes = new Map<string, string>();
  let phone = 13_660_000_000;
  for (const { client, login } of staff.values()) {
    const newPhone = String(++phone);
    const asked = await client.post('/v1/me/phone', { phone: newPhone });
    if (asked.status !== 202) throw new Error(`phone change failed: ${JSON.stringify(asked.body)}`);
    phoneCodes.set(login, await newPhoneCode(t, newPhone));
    const options = await client.post('/v1/me/passkeys/options', {});
    if (options.status !== 200) throw new Error(`passkey options failed: ${JSON.stringify(options.body)}`);
    registrations.set(login, new SoftAuthenticator().register(options.body));
  }
  const probe = await createStaffUser(t, merchantId, 'cashier');
  const client = await StaffClient.signIn(t, probe.login, probe.password);
  const options = await client.post('/v1/me/passkeys/options', {});
  const added = await client.post('/v1/me/passkeys', {
    name: 'probe',
    response: new SoftAuthenticator().register(options.body),
  });
  if (added.status !== 200) throw new Error(`passkey registration failed: ${JSON.stringify(added.body)}`);
  for (const code of added.body.backup_codes ?? []) t.secrets.add('backup code', code);
  const login = await t.request('POST', '/v1/auth/login', { body: { login: probe.login, password: probe.password } });
  const pending = pendingCookieOf(login);
  if (!pending) throw new Error(`no pending login: ${JSON.stringify(login.body)}`);
  const startQr = async () => {
    const answer = await t.request('POST', '/v1/auth/qr-logins', { body: {} });
    const c = new URL(String(answer.body.qr_payload)).searchParams.get('c') ?? '';
    t.secrets.add('QR login secret', c);
    const raw = ([] as string[]).concat((answer.headers['set-cookie'] as string[] | undefined) ?? []);
    const cookie = /^rk_qr=([^;]*)/.exec(raw.find((l) => l.startsWith('rk_qr=')) ?? '')?.[1] ?? '';
    return { id: String(answer.body.id), c, cookie };
  };
  const denyQrs: Array<{ id: string; c: string }> = [];
  for (let i = 0; i < allowed('POST /v1/qr-logins/:id/deny'); i++) denyQrs.push(await startQr());
  return { registrations, pending, qr: await startQr(), denyQrs, phoneCodes };
}

/** The code sent to verify a new phone number. */
async function newPhoneCode(t: TestApp, phone: string): Promise<string> {
  const row = (await t.services.outbox.listFor(phone, 50)).find((r) => r.template === 'phone_verification');
  if (!row) throw new Error(`no phone verification code to ${phone}`);
  return String(t.services.outbox.parameters(row).code);
}

/** The SMS second-factor code to `phone` not read before (the test clock stands still, so "newest" is ambiguous). */
async function newSmsCode(t: TestApp, phone: string, seen: Set<string>): Promise<string> {
  for (const row of await t.services.outbox.listFor(phone, 500)) {
    if (row.template !== 'second_factor_code' || seen.has(row.id)) continue;
    seen.add(row.id);
    return String(t.services.outbox.parameters(row).code);
  }
  throw new Error(`no new second-factor code to ${phone}`);
}

/** The newest password-reset code to `phone` (the clock moved a second before it was asked for). */
async function newResetCode(t: TestApp, phone: string): Promise<string> {
  const row = (await t.services.outbox.listFor(phone, 50)).find((r) => r.template === 'password_reset');
  if (!row) throw new Error(`no reset code to ${phone}`);
  return String(t.services.outbox.parameters(row).code);
}

/** Follow what an allowed second-factor call used up or handed out, so the next allowed caller can succeed too. */
async function learnSecondFactors(t: TestApp, f: Fixtures, key: string, answer: Answer, login: string): Promise<void> {
  if (key === 'POST /v1/auth/second-factor') {
    f.mfa.pending.shift();
    f.mfa.backupCodes.shift();
  }
  if (key === 'POST /v1/auth/second-factor/sms') f.mfa.smsPending.shift();
  if (key === 'POST /v1/me/totp') f.mfa.totpSecrets.set(login, String(answer.body.secret));
  if (key === 'POST /v1/me/totp/confirm') {
    rememberSecondFactor(t, login, {
      totpSecret: f.mfa.totpSecrets.get(login),
      backupCodes: answer.body.backup_codes,
      usedAt: t.clock.now(),
    });
  }
  if (key === 'POST /v1/me/sms-factor') {
    const phone = (await t.services.staff.findByLogin(login))?.phone ?? '';
    f.mfa.smsCodes.set(login, await newSmsCode(t, phone, f.mfa.seenSms));
  }
  if (key === 'POST /v1/me/backup-codes') rememberSecondFactor(t, login, { backupCodes: answer.body.backup_codes });
  if (key === 'POST /v1/auth/password-reset/confirm') {
    t.clock.advance(1_000);
    await t.request('POST', '/v1/auth/password-reset', { body: { login: f.mfa.reset.login, channel: 'sms' } });
    f.mfa.reset.code = await newResetCode(t, f.mfa.reset.phone);
  }
  if (key === 'POST /v1/me/sms-factor/confirm')
    rememberSecondFactor(t, login, { backupCodes: answer.body.backup_codes });
}
