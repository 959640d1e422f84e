import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KeyValueStore } from './store.js';

/**
 * A JSON file as the store, for Node terminals and the `refundkey pos` CLI: it holds the terminal key and the operator
 * session, so it is created with mode 0600 and rewritten atomically (a crash mid-write never loses pending operations).
 * Kept out of index.ts so that a browser bundle never imports node:fs.
 */
export class FileStore implements KeyValueStore {
  constructor(readonly path: string) {}

  private read(): Record<string, string> {
    try {
      const parsed = JSON.parse(readFileSync(this.path, 'utf8')) as unknown;
      return parsed && typeof parsed === 'object' ? (parsed as Record<string, string>) : {};
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw error;
    }
  }

  private write(values: Record<string, string>): void {
    mkdirSync(dirname(this.path), { recursive: true });
    const temporary = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temporary, `${JSON.stringify(values, null, 2)}\n`, { mode: 0o600 });
    chmodSync(temporary, 0o600);
    renameSync(temporary, this.path);
  }

  get(key: string): string | undefined {
    return this.read()[key];
  }
  set(key: string, value: string): void {
    this.write({ ...this.read(), [key]: value });
  }
  delete(key: string): void {
    const values = this.read();
    if (!(key in values)) return;
    delete values[key];
    this.write(values);
  }
  keys(): string[] {
    return Object.keys(this.read());
  }
}
