import { createHmac, timingSafeEqual } from 'node:crypto';
import { hash, verify } from '@node-rs/argon2';

// SECURITY.md "Secrets at rest": Argon2id m=19456 KiB, t=2, p=1. @node-rs/argon2 runs on the libuv pool, off the event loop.
const ARGON2_OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id, a const enum */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Hash a login password or refund key with Argon2id. */
export function hashSecret(secret: string): Promise<string> {
  return hash(secret, ARGON2_OPTIONS);
}

/** Verify a secret against an Argon2id hash; false on any malformed hash. */
export async function verifySecret(hashed: string, secret: string): Promise<boolean> {
  try {
    return await verify(hashed, secret);
  } catch {
    return false;
  }
}

/** Keyed HMAC-SHA256 for tokens, codes and card fingerprints (stored instead of the secret). */
export class Hmac {
  constructor(private readonly key: Buffer) {}

  digest(purpose: string, ...parts: string[]): string {
    const mac = createHmac('sha256', this.key);
    mac.update(purpose);
    for (const part of parts) mac.update(`\u0000${part}`);
    return mac.digest('hex');
  }

  /** Constant-time comparison of a candidate against a stored digest. */
  matches(stored: string, purpose: string, ...parts: string[]): boolean {
    const candidate = Buffer.from(this.digest(purpose, ...parts), 'hex');
    const expected = Buffer.from(stored, 'hex');
    return candidate.length === expected.length && timingSafeEqual(candidate, expected);
  }
}
