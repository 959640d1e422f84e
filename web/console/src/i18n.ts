import * as announcements from './pages/announcements/messages.js';
import * as applications from './pages/applications/messages.js';
import * as apply from './pages/apply/messages.js';
import * as approvals from './pages/approvals/messages.js';
import * as audit from './pages/audit/messages.js';
import * as dashboard from './pages/dashboard/messages.js';
import * as outbox from './pages/outbox/messages.js';
import * as refundKey from './pages/refund-key/messages.js';
import * as security from './pages/security/messages.js';
import * as signIn from './pages/sign-in/messages.js';
import * as staff from './pages/staff/messages.js';
import * as stores from './pages/stores/messages.js';
import * as support from './pages/support/messages.js';
import * as terminals from './pages/terminals/messages.js';
import * as tickets from './pages/tickets/messages.js';
import * as transactions from './pages/transactions/messages.js';
import * as webhooks from './pages/webhooks/messages.js';
import * as shell from './shell.messages.js';

/**
 * Every page's texts, merged in one place. Each page owns web/console/src/pages/<page>/messages.ts exporting `zhCN`
 * and `en: typeof zhCN` (so a key missing in English fails the typecheck); add one import and one line here. The
 * property name is the page's namespace in t(): `t('refundKey.title')`.
 */
const namespaces = {
  shell,
  apply,
  applications,
  signIn,
  refundKey,
  approvals,
  security,
  transactions,
  staff,
  stores,
  terminals,
  dashboard,
  audit,
  webhooks,
  outbox,
  support,
  announcements,
  tickets,
};

type Texts = { zhCN: object; en: object };
function pick(language: keyof Texts) {
  return Object.fromEntries(
    Object.entries(namespaces as Record<string, Texts>).map(([name, m]) => [name, m[language]]),
  );
}

export const resources = { 'zh-CN': { translation: pick('zhCN') }, en: { translation: pick('en') } };
