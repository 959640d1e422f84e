import { ApiError } from '../../api.js';
import { ReauthCanceled } from '../../reauth.js';

type T = (key: string) => string;

/** A passkey ceremony the browser or the authenticator refused (no fingerprint, canceled, timed out, wrong site). */
function isCeremonyFailure(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const cause = (error as { cause?: unknown }).cause;
  return (
    ['NotAllowedError', 'AbortError', 'WebAuthnError', 'SecurityError', 'InvalidStateError'].includes(error.name) ||
    (cause instanceof Error && cause.name === 'NotAllowedError')
  );
}

/**
 * What to tell the person about a failed action: the server's own message (in the page's language), that the
 * re-authentication was canceled, or that the passkey was not confirmed by the device.
 */
export function problemText(error: unknown, t: T): string {
  if (error instanceof ReauthCanceled) return t('shell.reauth.canceled');
  if (error instanceof ApiError) return error.message;
  if (isCeremonyFailure(error)) return t('security.passkeyNotConfirmed');
  return t('shell.error.unknown');
}
