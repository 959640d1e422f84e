// The refund-keys module as other modules see it: they import it only through this file (docs/architecture.md).

export type { RefundKeyGuard, RefundKeyState } from './refund-keys.service.js';
export { RefundKeysService } from './refund-keys.service.js';
export type { RefundKeyPolicy } from './refund-keys.table.js';
