// A software WebAuthn authenticator for tests: a real ES256 (P-256) key pair from node:crypto, CBOR written here (not by
// the library under test), authenticator data with the user-present and user-verified flags as asked, attestation
// "none". What it answers is what a browser would hand to the server after navigator.credentials.create() / .get().
import { createHash, generateKeyPairSync, type KeyObject, randomBytes, sign } from 'node:crypto';

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_AT = 0x40;

type Cbor = number | string | Uint8Array | Cbor[] | Map<number | string, Cbor>;

/** A minimal CBOR encoder (RFC 8949): unsigned and negative integers, byte and text strings, arrays, maps. */
export function cbor(value: Cbor): Buffer {
  const head = (major: number, n: number): Buffer => {
    if (n < 24) return Buffer.from([(major << 5) | n]);
    if (n < 0x100) return Buffer.from([(major << 5) | 24, n]);
    if (n < 0x10000) return Buffer.from([(major << 5) | 25, n >> 8, n & 0xff]);
    const b = Buffer.alloc(5);
    b[0] = (major << 5) | 26;
    b.writeUInt32BE(n, 1);
    return b;
  };
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') {
    const bytes = Buffer.from(value, 'utf8');
    return Buffer.concat([head(3, bytes.length), bytes]);
  }
  if (value instanceof Uint8Array) return Buffer.concat([head(2, value.length), Buffer.from(value)]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const parts: Buffer[] = [head(5, value.size)];
  for (const [k, v] of value) parts.push(cbor(k), cbor(v));
  return Buffer.concat(parts);
}

const b64url = (b: Uint8Array | string): string => Buffer.from(b).toString('base64url');
const sha256 = (b: Uint8Array | string): Buffer => createHash('sha256').update(b).digest();

export interface SoftCredential {
  id: Buffer;
  privateKey: KeyObject;
  /** The sign counter the next assertion sends (then raised by one). */
  counter: number;
  userHandle: string | undefined;
}

export interface CeremonyOptions {
  /** User verification (fingerprint, face): on unless a test turns it off. */
  uv?: boolean;
  /** Sign with this challenge instead of the one in the options. */
  challenge?: string;
  origin?: string;
  rpId?: string;
  /** Send this counter instead of the credential's next one. */
  counter?: number;
}

/** One person's device: it can hold several credentials (one per registration). */
export class SoftAuthenticator {
  readonly credentials: SoftCredential[] = [];

  constructor(
    readonly rpId = 'localhost',
    readonly origin = 'http://localhost',
  ) {}

  /** Answer PublicKeyCredentialCreationOptionsJSON like navigator.credentials.create() would (RegistrationResponseJSON). */
  register(options: { challenge: string; user: { id: string } }, opts: CeremonyOptions = {}) {
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const cose = cbor(
      new Map<number, Cbor>([
        [1, 2], // kty: EC2
        [3, -7], // alg: ES256
        [-1, 1], // crv: P-256
        [-2, Buffer.from(jwk.x ?? '', 'base64url')],
        [-3, Buffer.from(jwk.y ?? '', 'base64url')],
      ]),
    );
    const id = randomBytes(32);
    const counter = opts.counter ?? 0;
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const authData = Buffer.concat([
      this.rpIdHash(opts),
      this.flags(opts, FLAG_AT),
      counterBytes(counter),
      Buffer.alloc(16), // AAGUID: none
      idLength,
      id,
      cose,
    ]);
    const attestationObject = cbor(
      new Map<string, Cbor>([
        ['fmt', 'none'],
        ['attStmt', new Map()],
        ['authData', authData],
      ]),
    );
    const clientDataJSON = this.clientData('webauthn.create', opts.challenge ?? options.challenge, opts);
    const credential: SoftCredential = { id, privateKey, counter: counter + 1, userHandle: options.user.id };
    this.credentials.push(credential);
    return {
      id: b64url(id),
      rawId: b64url(id),
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        attestationObject: b64url(attestationObject),
        transports: ['internal'],
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  /** Answer PublicKeyCredentialRequestOptionsJSON like navigator.credentials.get() (AuthenticationResponseJSON). */
  assert(options: { challenge: string }, opts: CeremonyOptions & { credential?: SoftCredential } = {}) {
    const credential = opts.credential ?? this.credentials.at(-1);
    if (!credential) throw new Error('this authenticator holds no credential');
    const counter = opts.counter ?? credential.counter;
    if (opts.counter === undefined) credential.counter += 1;
    const authData = Buffer.concat([this.rpIdHash(opts), this.flags(opts, 0), counterBytes(counter)]);
    const clientDataJSON = this.clientData('webauthn.get', opts.challenge ?? options.challenge, opts);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), credential.privateKey); // DER
    return {
      id: b64url(credential.id),
      rawId: b64url(credential.id),
      type: 'public-key' as const,
      response: {
        clientDataJSON: b64url(clientDataJSON),
        authenticatorData: b64url(authData),
        signature: b64url(signature),
        ...(credential.userHandle ? { userHandle: credential.userHandle } : {}),
      },
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
    };
  }

  private rpIdHash(opts: CeremonyOptions): Buffer {
    return sha256(opts.rpId ?? this.rpId);
  }

  private flags(opts: CeremonyOptions, extra: number): Buffer {
    return Buffer.from([FLAG_UP | (opts.uv === false ? 0 : FLAG_UV) | extra]);
  }

  private clientData(type: string, challenge: string, opts: CeremonyOptions): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin: opts.origin ?? this.origin, crossOrigin: false }));
  }
}

function counterBytes(counter: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(counter);
  return b;
}
