/**
 * Where a terminal keeps what must survive a restart: its key, the operator session, and the operations still waiting
 * for an answer. Sync or async, so localStorage, a file, or a device's secure storage all fit.
 */
export interface KeyValueStore {
  get(key: string): Promise<string | undefined> | string | undefined;
  set(key: string, value: string): Promise<void> | void;
  delete(key: string): Promise<void> | void;
  keys?(): Promise<string[]> | string[];
}

/** A store that lives as long as the process: tests, and terminals that accept losing pending operations. */
export class MemoryStore implements KeyValueStore {
  private readonly values = new Map<string, string>();
  get(key: string): string | undefined {
    return this.values.get(key);
  }
  set(key: string, value: string): void {
    this.values.set(key, value);
  }
  delete(key: string): void {
    this.values.delete(key);
  }
  keys(): string[] {
    return [...this.values.keys()];
  }
}

interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
  key(index: number): string | null;
  readonly length: number;
}

/**
 * The browser's localStorage under a prefix (several apps may share an origin). It survives a reload and a lost
 * connection, which is what pending operations need.
 */
export class LocalStorageStore implements KeyValueStore {
  private readonly storage: StorageLike;

  constructor(
    private readonly prefix = 'refundkey.',
    storage?: StorageLike,
  ) {
    const found = storage ?? (globalThis as { localStorage?: StorageLike }).localStorage;
    if (!found) throw new Error('LocalStorageStore: no localStorage here; use MemoryStore or FileStore');
    this.storage = found;
  }
  get(key: string): string | undefined {
    return this.storage.getItem(this.prefix + key) ?? undefined;
  }
  set(key: string, value: string): void {
    this.storage.setItem(this.prefix + key, value);
  }
  delete(key: string): void {
    this.storage.removeItem(this.prefix + key);
  }
  keys(): string[] {
    const keys: string[] = [];
    for (let i = 0; i < this.storage.length; i++) {
      const key = this.storage.key(i);
      if (key?.startsWith(this.prefix)) keys.push(key.slice(this.prefix.length));
    }
    return keys;
  }
}
