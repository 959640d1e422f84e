import type {
  AuthenticationResponseJSON,
  PublicKeyCredentialCreationOptionsJSON,
  PublicKeyCredentialRequestOptionsJSON,
  RegistrationResponseJSON,
  WebAuthnCredential,
} from '@simplewebauthn/server';
import type { Kysely } from 'kysely';
import type { DB } from '../../db/schema.js';
import { type Clock, MINUTE } from '../../lib/clock.js';
import { AppError } from '../../lib/errors.js';
import type { Hmac } from '../../lib/hashing.js';
import { cryptoRandom, newId, type RandomSource } from '../../lib/random.js';
import type { StaffSession } from '../access/index.js';
import type { AttemptLimiter } from '../attempts/index.js';
import { type AuditService, ownChangeEvent } from '../audit/index.js';
import type { PendingLogin } from '../auth/index.js';
import { SECOND_FACTOR_REQUIRED, type StaffService, type StaffUser } from '../staff/index.js';
import { MfaErrors } from './mfa.errors.js';
import type { MfaService } from './mfa.service.js';
import * as repo from './passkey.repository.js';
import type { PasskeyRow, WebauthnChallengePurpose } from './passkey.table.js';
import { SecondFactorAttempts } from './second-factor-attempts.js';

/** A challenge lives 5 minutes (SECURITY.md "Passkeys": single use, ≤ 5 min); the browser is given 2 to answer. */
export const CHALLENGE_TTL = 5 * MINUTE;
const CEREMONY_TIMEOUT_MS = 2 * MINUTE;
const RP_NAME = 'Refundkey';

/** Where passkeys are made and used: the relying-party id (a domain) and the console's origin. */
export interface RelyingParty {
  id: string;
  origin: string;
}

export interface PasskeyView {
  id: string;
  name: string;
  createdAt: number;
  lastUsedAt: number | null;
}

export interface PasskeyDeps {
  staff: StaffService;
  attempts: AttemptLimiter;
  audit: AuditService;
  mfa: MfaService;
}

/**
 * Passkeys (WebAuthn, issue 12 item 3; docs/security.md "Passkeys"): several named passkeys per person, user verification
 * (fingerprint, face, device PIN) required, each challenge kept as an HMAC, bound to what it was asked for, used once
 * and ≤ 5 minutes old, the sign counter checked and moved on atomically. Every answer is counted against the person's
 * second-factor attempts before it is verified.
 */
export class PasskeyService {
  private readonly guard: SecondFactorAttempts;

  constructor(
    private readonly db: Kysely<DB>,
    private readonly clock: Clock,
    private readonly hmac: Hmac,
    private readonly deps: PasskeyDeps,
    private readonly random: RandomSource = cryptoRandom,
  ) {
    this.guard = new SecondFactorAttempts(db, clock, deps.attempts, deps.audit);
  }

  /** The person's passkeys, oldest first. */
  async list(userId: string): Promise<PasskeyView[]> {
    return (await repo.passkeysOfUser(this.db, userId)).map(view);
  }

  /** True when the person has at least one passkey. */
  async has(userId: string): Promise<boolean> {
    return (await repo.countPasskeys(this.db, userId)) > 0;
  }

  /** Options for navigator.credentials.create(): a fresh challenge, the person's passkeys excluded, UV required. */
  async registrationOptions(staff: StaffSession, rp: RelyingParty): Promise<PublicKeyCredentialCreationOptionsJSON> {
    const user = await this.userOf(staff.userId);
    const existing = await repo.passkeysOfUser(this.db, user.id);
    const challenge = await this.newChallenge(user.id, 'register', user.id);
    const { generateRegistrationOptions } = await webauthn();
    return generateRegistrationOptions({
      rpName: RP_NAME,
      rpID: rp.id,
      userName: user.login,
      userDisplayName: user.name,
      userID: new TextEncoder().encode(user.id),
      challenge: Buffer.from(challenge, 'base64url'),
      timeout: CEREMONY_TIMEOUT_MS,
      attestationType: 'none',
      excludeCredentials: existing.map((p) => ({ id: p.credential_id, transports: transportsOf(p) })),
      authenticatorSelection: { residentKey: 'preferred', userVerification: 'required' },
    });
  }

  /**
   * Register a passkey from the browser's answer: the challenge used once, user verification required. The person is
   * told on their phone and e-mail; a first factor comes with 10 backup codes (shown once).
   */
  async register(
    staff: StaffSession,
    rp: RelyingParty,
    name: string,
    response: RegistrationResponseJSON,
  ): Promise<{ passkey: PasskeyView; backupCodes: string[] | null }> {
    const user = await this.userOf(staff.userId);
    let taken = false;
    let credential: WebAuthnCredential | undefined;
    await this.guard
      .checked(
        user,
        staff.ip,
        'mfa.enrol',
        async () => {
          const challenge = challengeOf(response);
          if (!challenge || !(await this.useChallenge(user.id, 'register', user.id, challenge))) return false;
          const { verifyRegistrationResponse } = await webauthn();
          const verified = await verifyRegistrationResponse({
            response,
            expectedChallenge: challenge,
            expectedOrigin: rp.origin,
            expectedRPID: rp.id,
            requireUserVerification: true,
          }).catch(() => undefined);
          if (!verified?.verified) return false;
          credential = verified.registrationInfo.credential;
          taken = await repo.credentialIdTaken(this.db, credential.id);
          return !taken;
        },
        'PASSKEY_FAILED',
      )
      .catch((error: unknown) => {
        throw taken ? AppError.from(MfaErrors, 'PASSKEY_ALREADY_REGISTERED') : error;
      });
    if (!credential) throw AppError.from(MfaErrors, 'PASSKEY_FAILED');
    const now = this.clock.now();
    const row: PasskeyRow = {
      id: newId('pk', this.random),
      user_id: user.id,
      name,
      credential_id: credential.id,
      public_key: Buffer.from(credential.publicKey).toString('base64url'),
      counter: credential.counter,
      transports: (credential.transports ?? []).join(','),
      created_at: now,
      last_used_at: null,
    };
    return this.db.transaction().execute(async (trx) => {
      const first = !(await this.deps.mfa.hasActiveFactor(user.id, trx));
      await repo.insertPasskey(trx, row);
      const backupCodes = first ? await this.deps.mfa.newBackupCodes(trx, user.id) : null;
      await this.deps.mfa.notifyChange(trx, user, 'factor_added');
      await this.deps.audit.record(
        trx,
        ownChangeEvent(user, staff.ip, 'mfa.factor_added', { kind: 'passkey', passkey_id: row.id, name }),
      );
      return { passkey: view(row), backupCodes };
    });
  }

  /** Remove one of the person's passkeys (re-authenticated); an owner, manager or admin keeps at least one factor. */
  async remove(staff: StaffSession, id: string): Promise<void> {
    const user = await this.userOf(staff.userId);
    const passkeys = await repo.passkeysOfUser(this.db, user.id);
    const target = passkeys.find((p) => p.id === id);
    if (!target) throw AppError.from(MfaErrors, 'PASSKEY_NOT_FOUND');
    const others = (await this.deps.mfa.methodsOf(user.id)).filter((m) => m === 'totp' || m === 'sms').length;
    const last = others === 0 && passkeys.length === 1;
    if (last && SECOND_FACTOR_REQUIRED.includes(user.role)) throw AppError.from(MfaErrors, 'SECOND_FACTOR_LAST');
    await this.db.transaction().execute(async (trx) => {
      if (!(await repo.deletePasskey(trx, user.id, id))) throw AppError.from(MfaErrors, 'PASSKEY_NOT_FOUND');
      if (last) await this.deps.mfa.dropBackupCodes(trx, user.id);
      await this.deps.mfa.notifyChange(trx, user, 'factor_removed');
      await this.deps.audit.record(
        trx,
        ownChangeEvent(user, staff.ip, 'mfa.factor_removed', { kind: 'passkey', passkey_id: id, name: target.name }),
      );
    });
  }

  /** Options for navigator.credentials.get() for the person's own passkeys, bound to one purpose. */
  async assertionOptions(
    userId: string,
    purpose: Exclude<WebauthnChallengePurpose, 'register'>,
    boundTo: string,
    rp: RelyingParty,
  ): Promise<PublicKeyCredentialRequestOptionsJSON> {
    const user = await this.userOf(userId);
    const passkeys = await repo.passkeysOfUser(this.db, user.id);
    if (passkeys.length === 0) throw AppError.from(MfaErrors, 'SECOND_FACTOR_METHOD_UNAVAILABLE');
    const challenge = await this.newChallenge(user.id, purpose, boundTo);
    const { generateAuthenticationOptions } = await webauthn();
    return generateAuthenticationOptions({
      rpID: rp.id,
      challenge: Buffer.from(challenge, 'base64url'),
      timeout: CEREMONY_TIMEOUT_MS,
      allowCredentials: passkeys.map((p) => ({ id: p.credential_id, transports: transportsOf(p) })),
      userVerification: 'required',
    });
  }

  /** Options for the passkey step of a pending login. */
  loginOptions(pending: PendingLogin, rp: RelyingParty): Promise<PublicKeyCredentialRequestOptionsJSON> {
    return this.assertionOptions(pending.userId, 'login', pending.id, rp);
  }

  /** The passkey step of a pending login: 401 PASSKEY_FAILED unless right, 423 while the second factor is locked. */
  verifyForLogin(pending: PendingLogin, rp: RelyingParty, response: AuthenticationResponseJSON, ip: string) {
    return this.verifyAssertion(pending.userId, 'login', pending.id, rp, response, ip, 'auth.second_factor');
  }

  /**
   * Check a passkey answer of the person for one purpose: counted first, then the challenge used once, then the
   * signature, user verification, origin, relying party and counter. Another person's passkey is not found.
   */
  async verifyAssertion(
    userId: string,
    purpose: Exclude<WebauthnChallengePurpose, 'register'>,
    boundTo: string,
    rp: RelyingParty,
    response: AuthenticationResponseJSON,
    ip: string,
    event: string,
  ): Promise<void> {
    const user = await this.userOf(userId);
    if (!(await this.has(user.id))) throw AppError.from(MfaErrors, 'SECOND_FACTOR_METHOD_UNAVAILABLE');
    await this.guard.checked(
      user,
      ip,
      event,
      async () => {
        const challenge = challengeOf(response);
        if (!challenge || !(await this.useChallenge(user.id, purpose, boundTo, challenge))) return false;
        const passkey = await repo.findPasskeyOfUser(this.db, user.id, response.id);
        if (!passkey) return false;
        const { verifyAuthenticationResponse } = await webauthn();
        const verified = await verifyAuthenticationResponse({
          response,
          expectedChallenge: challenge,
          expectedOrigin: rp.origin,
          expectedRPID: rp.id,
          credential: {
            id: passkey.credential_id,
            publicKey: Buffer.from(passkey.public_key, 'base64url'),
            counter: passkey.counter,
            transports: transportsOf(passkey),
          },
          requireUserVerification: true,
        }).catch(() => undefined);
        if (!verified?.verified || !verified.authenticationInfo.userVerified) return false;
        const { newCounter } = verified.authenticationInfo;
        return repo.advanceCounter(this.db, passkey.id, passkey.counter, newCounter, this.clock.now());
      },
      'PASSKEY_FAILED',
    );
  }

  private async newChallenge(userId: string, purpose: WebauthnChallengePurpose, boundTo: string): Promise<string> {
    const now = this.clock.now();
    const challenge = this.random.bytes(32).toString('base64url');
    await repo.forgetOldChallenges(this.db, userId, now - CHALLENGE_TTL);
    await repo.insertChallenge(this.db, {
      id: newId('wch', this.random),
      user_id: userId,
      purpose,
      bound_to: boundTo,
      challenge_hash: this.hmac.digest('webauthn-challenge', challenge),
      created_at: now,
      expires_at: now + CHALLENGE_TTL,
    });
    return challenge;
  }

  private useChallenge(
    userId: string,
    purpose: WebauthnChallengePurpose,
    boundTo: string,
    challenge: string,
  ): Promise<boolean> {
    const challengeHash = this.hmac.digest('webauthn-challenge', challenge);
    return repo.useChallenge(this.db, { userId, purpose, boundTo, challengeHash }, this.clock.now());
  }

  private async userOf(userId: string): Promise<StaffUser> {
    const user = await this.deps.staff.getUser(userId);
    if (!user) throw AppError.from(MfaErrors, 'PASSKEY_FAILED');
    return user;
  }
}

/**
 * @simplewebauthn/server takes about 0.25 s to load (its ASN.1 and COSE parsers): it is loaded at the first passkey
 * ceremony, not at every start of a server or of a one-shot command that never sees a passkey.
 */
let library: Promise<typeof import('@simplewebauthn/server')> | undefined;
function webauthn(): Promise<typeof import('@simplewebauthn/server')> {
  library ??= import('@simplewebauthn/server');
  return library;
}

/** The challenge the browser signed, from its client data; undefined when the answer is malformed. */
function challengeOf(response: { response: { clientDataJSON: string } }): string | undefined {
  try {
    const clientData = JSON.parse(Buffer.from(response.response.clientDataJSON, 'base64url').toString('utf8'));
    const challenge = (clientData as { challenge?: unknown } | null)?.challenge;
    return typeof challenge === 'string' && challenge.length > 0 ? challenge : undefined;
  } catch {
    return undefined;
  }
}

function transportsOf(passkey: PasskeyRow) {
  return passkey.transports
    ? (passkey.transports.split(',') as Array<'ble' | 'cable' | 'hybrid' | 'internal' | 'nfc' | 'smart-card' | 'usb'>)
    : undefined;
}

function view(row: PasskeyRow): PasskeyView {
  return { id: row.id, name: row.name, createdAt: row.created_at, lastUsedAt: row.last_used_at };
}
