// The webhooks module as other modules see it: they import it only through this file (docs/architecture.md).

export { noActiveEndpoints } from './webhooks.repository.js';
export { WebhooksService } from './webhooks.service.js';
