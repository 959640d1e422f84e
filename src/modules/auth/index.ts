// The auth module as other modules see it: they import it only through this file (docs/architecture.md).
export { AuthErrors } from './auth.errors.js';
export { AuthService } from './auth.service.js';
export type { StaffSessionRow } from './auth.table.js';
export type { PendingLogin, SecondFactorMethod } from './pending-logins.js';
export type { StaffSession } from './request-context.js';
export { staffOf } from './request-context.js';
export { SignedInAnswer, signedInAnswer } from './session-answer.js';
export {
  clearPendingLoginCookie,
  clearSessionCookies,
  PENDING_LOGIN_COOKIE,
  SESSION_COOKIE,
  secureFor,
  setSessionCookies,
} from './session-cookies.js';
export type { IssuedSession } from './session-opening.js';
export { assertMerchantInScope, assertStoreInScope, canActOnStore, hasMerchantWideScope } from './store-scope.js';
export {
  AuthenticationResponseBody,
  CreationOptionsAnswer,
  RegistrationResponseBody,
  RequestOptionsAnswer,
} from './webauthn-json.js';
