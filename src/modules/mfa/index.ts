// The mfa module as other modules see it: they import it only through this file (docs/architecture.md).

export type { AccountChange } from './account-notices.js';
export { MfaErrors } from './mfa.errors.js';
export { MfaService } from './mfa.service.js';
export type { RelyingParty } from './passkey.service.js';
export { PasskeyService } from './passkey.service.js';
export { relyingPartyOf } from './relying-party.js';
