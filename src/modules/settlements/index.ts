// The settlements module as other modules see it: they import it only through this file (docs/architecture.md).
export { SettlementSchema } from './settlement.schema.js';
export { heldBatch } from './settlements.repository.js';
export { SettlementsService } from './settlements.service.js';
export { ReportColumn } from './settlements.table.js';
