// The access module as other modules see it: they import it only through this file (docs/architecture.md).

export type { StaffSession } from './staff-context.js';
export { staffOf } from './staff-context.js';
