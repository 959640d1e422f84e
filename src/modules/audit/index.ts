// The audit module as other modules see it: they import it only through this file (docs/architecture.md).

export type { AuditEvent } from './audit.service.js';
export { AuditService } from './audit.service.js';
export { DetailColumn } from './audit.table.js';
export { ownChangeEvent } from './own-change-event.js';
export { type StaffActor, type StaffEventFields, staffActor, staffEvent } from './staff-event.js';
