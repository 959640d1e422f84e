import { createHmac, timingSafeEqual } from 'node:crypto';
import { availableParallelism } from 'node:os';
import { hash, verify } from '@node-rs/argon2';

// docs/security.md "Secrets at rest": Argon2id m=19456 KiB, t=2, p=1. @node-rs/argon2 runs on the libuv pool, off the event loop.
const ARGON2_OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id, a const enum */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** A counting semaphore: at most `limit` tasks run at once, the others wait in arrival order. */
export class Semaphore {
  private readonly waiting: Array<() => void> = [];
  private free: number;

  constructor(limit: number) {
    this.free = limit;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resume) => this.waiting.push(resume));
    try {
      return await task();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/**
 * Argon2id computations in flight at once. Each holds its 19 MiB matrix, and libuv's pool would run 4 whatever the
 * cores: more than one per core buys no throughput, only resident memory and CPU taken from the event loop (and from
 * the pool's other users: file writes, DNS). A burst of refund keys queues here instead.
 */
const argon2Slots = new Semaphore(availableParallelism());

/** Hash a login password or refund key with Argon2id. */
export function hashSecret(secret: string): Promise<string> {
  return argon2Slots.run(() => hash(secret, ARGON2_OPTIONS));
}

/** Verify a secret against an Argon2id hash; false on any malformed hash. */
export async function verifySecret(hashed: string, secret: string): Promise<boolean> {
  try {
    return await argon2Slots.run(() => verify(hashed, secret));
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
