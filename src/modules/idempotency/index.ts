// The idempotency module as other modules see it: they import it only through this file (docs/architecture.md).

export { KEY_COLUMNS, keyInsert } from './idempotency.repository.js';
export type { IdempotencyScope } from './idempotency.service.js';
export { IdempotencyService } from './idempotency.service.js';
export { type IdempotentRoute, idempotencyOf } from './request-context.js';
