// The support module as other modules see it: they import it only through this file (docs/architecture.md).
export { SupportErrors } from './support.errors.js';
export type { BranchVerification } from './support.service.js';
export { SupportService } from './support.service.js';
export type { SupportCaseKind } from './support.table.js';
