import type { RefundkeyError } from './errors.js';
import type { KeyValueStore } from './store.js';
import type { PendingOperation } from './types.js';

/**
 * The operations sent but not answered, kept in the store under one key so they survive a restart. Changes are
 * serialised: several operations may run at once, and each read-modify-write must see the one before it.
 */
export class PendingList {
  private lock: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly store: KeyValueStore,
    private readonly key: string,
  ) {}

  /** Oldest first. */
  async all(): Promise<PendingOperation[]> {
    const raw = await this.store.get(this.key);
    return raw ? (JSON.parse(raw) as PendingOperation[]) : [];
  }

  add(operation: PendingOperation): Promise<void> {
    return this.change((list) => [...list, operation]);
  }

  /** Put this state of an operation in place of the one with its idempotency key. */
  replace(operation: PendingOperation): Promise<void> {
    return this.change((list) => list.map((op) => (op.idempotency_key === operation.idempotency_key ? operation : op)));
  }

  remove(idempotencyKey: string): Promise<void> {
    return this.change((list) => list.filter((op) => op.idempotency_key !== idempotencyKey));
  }

  private change(edit: (list: PendingOperation[]) => PendingOperation[]): Promise<void> {
    const next = this.lock.then(async () => {
      const list = edit(await this.all());
      if (list.length === 0) await this.store.delete(this.key);
      else await this.store.set(this.key, JSON.stringify(list));
    });
    this.lock = next.catch(() => undefined);
    return next;
  }
}

/**
 * Whether a refusal settles the operation, so its key can be dropped. The first send's 4xx does (nothing happened).
 * On a re-send, a 401/403/423/429 or "still in progress" says nothing about whether the first send acted, so the
 * operation stays pending; any other 4xx is the server's answer for that key (a done operation would be replayed).
 */
export function isAnswerAbout(operation: PendingOperation, error: RefundkeyError): boolean {
  if (error.status < 400 || error.status >= 500) return false;
  if (error.code === 'IDEMPOTENCY_REQUEST_IN_PROGRESS' || error.status === 408) return false;
  if (operation.attempts > 1 && [401, 403, 423, 429].includes(error.status)) return false;
  return true;
}
