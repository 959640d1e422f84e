// The sales module as other modules see it: they import it only through this file (docs/architecture.md).
export { toSale } from './sale-view.js';
export { applyReservation, findSale, releaseReservation, reserveRefund } from './sales.repository.js';
export { Amount, SaleSchema } from './sales.schemas.js';
export type { SaleRow } from './sales.table.js';
