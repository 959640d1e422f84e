import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** How often the checkpointer copies the WAL back into the database file. */
const CHECKPOINT_EVERY_MS = 100;
/** The committing connection checkpoints itself only past this many WAL pages (≈ 40 MB): a fallback, not the rule. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 10_000;

const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file, { fileMustExist: true });
// data_version moves when another connection commits: an idle database is not checkpointed ten times a second for
// nothing. A checkpoint that could not copy every frame (a reader in the way) is tried again at the next tick.
let seen = -1;
let behind = false;
const timer = setInterval(() => {
  try {
    const version = db.pragma('data_version', { simple: true });
    if (version === seen && !behind) return;
    seen = version;
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    behind = result.log > result.checkpointed;
  } catch {}
}, workerData.everyMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;

/**
 * SQLite checkpoints the WAL inside the commit that crosses `wal_autocheckpoint` (1,000 pages by default): copying the
 * pages into the database file and three fsyncs, synchronously on the event loop. Under 567 card sales/s that was
 * about 11 checkpoints a second, each a stall of several milliseconds (≈ 5 ms of fsync alone): the tail of the sales
 * latency. A worker thread with its own connection runs PASSIVE
 * checkpoints instead (they never block writers or readers); the committing connection keeps a far higher threshold
 * as a fallback should the worker fall behind, and `journal_size_limit` shrinks the WAL file after such a burst.
 */
export function startCheckpointer(sqlite: SQLite.Database, file: string): { stop(): Promise<void> } {
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  sqlite.pragma('journal_size_limit = 67108864');
  const worker = new Worker(CHECKPOINTER_SOURCE, {
    eval: true,
    workerData: {
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      everyMs: CHECKPOINT_EVERY_MS,
    },
  });
  worker.unref();
  worker.on('error', () => {
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  });
  const exited = new Promise<void>((done) => worker.once('exit', () => done()));
  return {
    async stop() {
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
