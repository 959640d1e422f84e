// The provisioning module as other modules see it: they import it only through this file (docs/architecture.md).
export { createPlatformUser } from './platform-admins.js';
export { ProvisioningErrors } from './provisioning.errors.js';
export { uniqueLogin } from './provisioning-context.js';
