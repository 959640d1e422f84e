// The account module as other modules see it: they import it only through this file (docs/architecture.md).
export { AccountErrors } from './account.errors.js';
