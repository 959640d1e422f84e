// The recipients module as other modules see it: they import it only through this file (docs/architecture.md).
export { RecipientsService } from './recipients.service.js';
