import type { Selectable } from 'kysely';

/** A person's passkey (WebAuthn credential): its public key and sign counter; the private key never leaves the device. */
export interface PasskeysTable {
  id: string;
  user_id: string;
  /** The person's own label, e.g. "iPhone" or "办公室电脑". */
  name: string;
  /** The credential id as the browser names it (base64url). */
  credential_id: string;
  /** The COSE public key, base64url. */
  public_key: string;
  /** The last sign counter seen; an assertion must raise it (unless the authenticator keeps none: 0 and 0). */
  counter: number;
  /** Transports the browser reported (usb, internal, hybrid, …), comma-separated; may be empty. */
  transports: string;
  created_at: number;
  last_used_at: number | null;
}

export type WebauthnChallengePurpose = 'register' | 'login' | 'reauth' | 'qr_approve';

/** A WebAuthn challenge asked for by a person, kept as an HMAC: used once, ≤ 5 minutes (SECURITY.md "Passkeys"). */
export interface WebauthnChallengesTable {
  id: string;
  user_id: string;
  purpose: WebauthnChallengePurpose;
  /** What the challenge is for: the user (register, reauth), a pending login, or a QR login. */
  bound_to: string;
  challenge_hash: string;
  created_at: number;
  expires_at: number;
  used_at: number | null;
}

export type PasskeyRow = Selectable<PasskeysTable>;
