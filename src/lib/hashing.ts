import { createHmac, timingSafeEqual } from 'node:crypto';
import { createRequire } from 'node:module';
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { AppError, defineErrors } from './errors.js';

// docs/security.md "Secrets at rest": Argon2id m=19456 KiB, t=2, p=1.
export const ARGON2_OPTIONS = {
  algorithm: 2 /* Algorithm.Argon2id, a const enum */,
  memoryCost: 19456,
  timeCost: 2,
  parallelism: 1,
} as const;

/** Argon2id's cost parameters; a hash records its own, and verification always uses those it records. */
export interface Argon2Cost {
  memoryCost: number;
  timeCost: number;
  parallelism: number;
}

export const HashingErrors = defineErrors({
  BUSY: {
    status: 429,
    zh: '服务器繁忙，请稍后重试',
    en: 'Too many secret checks at once, retry shortly',
  },
});

/**
 * One core is left to the event loop: a verification is ≈ 11 ms of CPU, and on 2 cores two of them at once took both
 * cores from the sales being answered (their p99 rose 3.8×). More threads than cores buy no throughput either, only
 * 19 MiB matrices held at once.
 */
export const ARGON2_POOL_SIZE = Math.max(1, availableParallelism() - 1);
/** Waiting computations per thread before new ones are refused (≈ 32 × 11 ms ≈ 0.35 s of queue at most). */
const QUEUE_PER_THREAD = 32;
/**
 * The pool's threads run at a lower priority than the event loop (Linux nice values are per thread): when a core is
 * contended, the scheduler prefers answering sales to verifying a key; when it is idle, the hash gets all of it. Not
 * the lowest: at nice 19 sales beside refund keys answered faster (p99 45 ms against 76 ms in one A/B), but a saturated
 * machine starved the hash outright, and a re-authentication in the console then took longer than 15 s (reproduced
 * with the CPU kept busy: console.stores fails at 19 and passes at 5). Sign-ins and refund keys must stay possible.
 */
const WORKER_NICE = 5;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const argon2 = require(workerData.module);
try { require('node:os').setPriority(0, workerData.nice); } catch {}
parentPort.on('message', (task) => {
  let value;
  try {
    value = task.op === 'hash' ? argon2.hashSync(task.secret, task.options) : argon2.verifySync(task.hashed, task.secret);
  } catch (error) {
    // A malformed stored hash verifies nothing; a failed hash is the caller's error.
    if (task.op === 'verify') value = false;
    else return parentPort.postMessage({ ok: false, message: String((error && error.message) || error) });
  }
  parentPort.postMessage({ ok: true, value });
});
`;

type Task =
  | { op: 'hash'; secret: string; options: Argon2Cost & { algorithm: number } }
  | { op: 'verify'; hashed: string; secret: string };
type Reply = { ok: true; value: string | boolean } | { ok: false; message: string };

interface Queued {
  task: Task;
  resolve(value: string | boolean): void;
  reject(error: Error): void;
}

interface Slot {
  worker: Worker;
  current: Queued | undefined;
}

/**
 * A fixed number of threads computing Argon2id one at a time each, and a bounded queue in arrival order. Beyond the
 * queue limit a computation is refused at once with 429 `BUSY` (`retry_after_s`) instead of stalling the requests
 * behind it; a refused secret was not checked.
 */
export class Argon2Pool {
  private readonly slots: Slot[] = [];
  private readonly queue: Queued[] = [];
  private size: number;
  private queueLimit: number;
  private readonly nice: number;
  private cost: Argon2Cost = ARGON2_OPTIONS;
  private readonly equalisers = new Map<string, Promise<string>>();

  constructor({
    size = ARGON2_POOL_SIZE,
    queueLimit = size * QUEUE_PER_THREAD,
    nice = WORKER_NICE,
  }: { size?: number; queueLimit?: number; nice?: number } = {}) {
    this.size = size;
    this.queueLimit = queueLimit;
    this.nice = nice;
  }

  /** Threads of the pool, for baselines that must match it. */
  get threads(): number {
    return this.size;
  }

  /**
   * Change the number of threads (the operator's ARGON2_THREADS, applied at start) and with it the queue limit. Threads
   * are started on demand; one past the new number stops once its current computation is done.
   */
  setThreads(threads: number): void {
    this.size = Math.max(1, Math.floor(threads));
    this.queueLimit = this.size * QUEUE_PER_THREAD;
    for (const slot of this.slots.filter((s) => !s.current).slice(0, Math.max(0, this.slots.length - this.size)))
      this.retire(slot);
  }

  /** Take a thread out of the pool: `retire` stops it, a lost one has stopped already. */
  private forget(slot: Slot): void {
    const index = this.slots.indexOf(slot);
    if (index >= 0) this.slots.splice(index, 1);
  }

  private retire(slot: Slot): void {
    this.forget(slot);
    void slot.worker.terminate();
  }

  hash(secret: string): Promise<string> {
    return this.submit({
      op: 'hash',
      secret,
      options: { ...this.cost, algorithm: ARGON2_OPTIONS.algorithm },
    }) as Promise<string>;
  }

  /**
   * A hash of a secret nobody holds, made with the cost of new hashes: verifying an unknown login or operator against
   * it costs what verifying a real one does, so timing does not tell which exists.
   */
  equaliser(): Promise<string> {
    const key = JSON.stringify(this.cost);
    let hashed = this.equalisers.get(key);
    if (!hashed) {
      hashed = this.hash('refundkey-timing-equaliser');
      hashed.catch(() => this.equalisers.delete(key));
      this.equalisers.set(key, hashed);
    }
    return hashed;
  }

  /**
   * The cost of the hashes made from now on; without an argument, docs/security.md's (the only cost the product ever
   * uses: nothing in src/ calls this). The test harness lowers it for fixtures whose secrets are not what a suite
   * examines (test/support/hash-cost.ts); existing hashes keep verifying with the cost they record.
   */
  useHashCost(cost: Argon2Cost = ARGON2_OPTIONS): void {
    this.cost = { memoryCost: cost.memoryCost, timeCost: cost.timeCost, parallelism: cost.parallelism };
  }

  verify(hashed: string, secret: string): Promise<boolean> {
    return this.submit({ op: 'verify', hashed, secret }) as Promise<boolean>;
  }

  /** Stop the threads (tests and benchmarks); queued computations fail. */
  async close(): Promise<void> {
    for (const queued of this.queue.splice(0)) queued.reject(new Error('argon2 pool closed'));
    await Promise.all(this.slots.splice(0).map((slot) => slot.worker.terminate()));
  }

  private submit(task: Task): Promise<string | boolean> {
    const idle = this.idleSlot();
    if (!idle && this.queue.length >= this.queueLimit) {
      // Expected wait of the queue ahead, rounded up to whole seconds: ≈ 11 ms per computation per thread.
      const retryAfterS = Math.max(1, Math.ceil((this.queue.length * 0.011) / this.size));
      return Promise.reject(AppError.from(HashingErrors, 'BUSY', { retry_after_s: retryAfterS }));
    }
    return new Promise((resolve, reject) => {
      const queued: Queued = { task, resolve, reject };
      if (idle) this.start(idle, queued);
      else this.queue.push(queued);
    });
  }

  private idleSlot(): Slot | undefined {
    const idle = this.slots.find((slot) => !slot.current);
    if (idle) return idle;
    if (this.slots.length >= this.size) return undefined;
    const slot: Slot = { worker: this.spawn(), current: undefined };
    this.slots.push(slot);
    this.listen(slot);
    return slot;
  }

  private spawn(): Worker {
    const worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: {
        module: createRequire(import.meta.url).resolve('@node-rs/argon2'),
        nice: this.nice,
      },
    });
    worker.unref();
    return worker;
  }

  private listen(slot: Slot): void {
    slot.worker.on('message', (reply: Reply) => {
      const done = slot.current;
      slot.current = undefined;
      slot.worker.unref();
      if (done) {
        if (reply.ok) done.resolve(reply.value);
        else done.reject(new Error(reply.message));
      }
      if (this.slots.length > this.size) return this.retire(slot);
      const next = this.queue.shift();
      if (next) this.start(slot, next);
    });
    const lost = (error: Error) => {
      this.forget(slot);
      slot.current?.reject(error);
      slot.current = undefined;
      // A replacement thread takes the queue on.
      const next = this.queue.shift();
      if (next) {
        const replacement = this.idleSlot();
        if (replacement) this.start(replacement, next);
        else this.queue.unshift(next);
      }
    };
    slot.worker.once('error', lost);
    slot.worker.once('exit', (code) => lost(new Error(`argon2 thread exited (${code})`)));
  }

  private start(slot: Slot, queued: Queued): void {
    slot.current = queued;
    // Referenced only while computing: an idle pool never keeps the process alive, a pending result always does.
    slot.worker.ref();
    slot.worker.postMessage(queued.task);
  }
}

/** The process's pool: every Argon2id computation of the product goes through it. */
export const argon2Pool = new Argon2Pool();

/** Hash a login password or refund key with Argon2id. */
export function hashSecret(secret: string): Promise<string> {
  return argon2Pool.hash(secret);
}

/**
 * A secret already hashed with Argon2id. A transaction that stores a new secret takes it hashed: hashing inside the
 * transaction would hold its locks (on SQLite the one write lock, and the group commit behind it) for the hash's
 * duration, and a busy pool would refuse it after rows were already locked (docs/architecture.md).
 */
export class HashedSecret {
  private constructor(readonly hash: string) {}

  static async of(secret: string): Promise<HashedSecret> {
    return new HashedSecret(await hashSecret(secret));
  }
}

/** The stored form of a new secret: hashed now, or as it was hashed before the caller's transaction. */
export function storedHash(secret: string | HashedSecret): Promise<string> {
  return secret instanceof HashedSecret ? Promise.resolve(secret.hash) : hashSecret(secret);
}

/**
 * Verify a secret against an Argon2id hash; false on any malformed hash. Refused with 429 BUSY when the pool's queue is
 * full: never false then, which would count as a wrong secret.
 */
export function verifySecret(hashed: string, secret: string): Promise<boolean> {
  return argon2Pool.verify(hashed, secret);
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
