// The invitations module as other modules see it: they import it only through this file (docs/architecture.md).
export { InvitationsService } from './invitations.service.js';
