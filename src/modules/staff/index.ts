// The staff module as other modules see it: they import it only through this file (docs/architecture.md).

export { maskPhone } from './phone.js';
export type { Operator, OperatorPermissions, StaffUser } from './staff.service.js';
export { ALL_OPERATOR_PERMISSIONS, operatorPermissionsOf, StaffService } from './staff.service.js';
export type { StaffRole } from './staff.table.js';
export { SECOND_FACTOR_REQUIRED } from './staff.table.js';
