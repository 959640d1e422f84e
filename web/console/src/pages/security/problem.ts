import { ApiError } from '../../api.js';
import { ReauthCanceled } from '../../reauth.js';
import { isCeremonyFailure } from './ceremony.js';

type T = (key: string) => string;

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
