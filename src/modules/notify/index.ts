// The notify module as other modules see it: they import it only through this file (docs/architecture.md).

export type { Destination } from './destinations.js';
export { destinationsOf } from './destinations.js';
export { NotifyErrors } from './notify.errors.js';
export { OutboxService } from './outbox.service.js';
export type { OutgoingMessage, SendResult, Transport } from './transports/transport.js';
export { DeliveryError, describeError } from './transports/transport.js';
