import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import type SQLite from 'better-sqlite3';

/** How often the checkpointer copies the WAL back into the database file. */
const CHECKPOINT_EVERY_MS = 100;
/** Past this many frames (64 MiB of 4 KiB pages) the checkpointer asks for a pause and starts the WAL over. */
const RESTART_AT_FRAMES = 16_384;
/** The committing connection checkpoints itself only past this many WAL pages (128 MiB): a fallback, not the rule. */
const FALLBACK_AUTOCHECKPOINT_PAGES = 32_768;
/** A restart that another process held back (its reader or writer) is tried again after this long. */
const RESTART_RETRY_MS = 5_000;
/** A pause the checkpointer does not end in this time is ended by the writer: the WAL is then restarted later. */
const PAUSE_LIMIT_MS = 2_000;

const CHECKPOINTER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const SQLite = require(workerData.module);
const db = new SQLite(workerData.file, { fileMustExist: true });
// Another process's writer may hold the lock when the WAL is to be restarted: wait for it only briefly (the writer of
// this process is paused meanwhile), and try again at a later tick.
db.pragma('busy_timeout = 100');
// data_version moves when another connection commits: an idle database is not checkpointed ten times a second for
// nothing. A checkpoint that could not copy every frame (a reader in the way) is tried again at the next tick.
let seen = -1;
let behind = false;
let paused = false;
// A restart that another process's reader or writer held back is asked for again only after a while: each asking
// pauses this process's writer.
let restartNotBefore = 0;
const timer = setInterval(() => {
  if (paused) return;
  try {
    const version = db.pragma('data_version', { simple: true });
    if (version === seen && !behind) return;
    seen = version;
    const [result] = db.pragma('wal_checkpoint(PASSIVE)');
    behind = result.log > result.checkpointed;
    if (result.log >= workerData.restartAt && Date.now() >= restartNotBefore) {
      paused = true;
      parentPort.postMessage('pause');
    }
  } catch {}
}, workerData.everyMs);
parentPort.on('message', (message) => {
  if (message === 'paused') {
    // Nobody of this process is in the database: copy the last frames and have the next writer start the WAL over.
    let done = false;
    try { done = db.pragma('wal_checkpoint(RESTART)')[0].busy === 0; } catch {}
    if (!done) restartNotBefore = Date.now() + workerData.retryMs;
    paused = false;
    parentPort.postMessage('restarted');
    return;
  }
  clearInterval(timer);
  try { db.close(); } catch {}
  parentPort.close();
});
`;

/**
 * SQLite checkpoints the WAL inside the commit that crosses `wal_autocheckpoint` (1,000 pages by default): copying the
 * pages into the database file and three fsyncs, synchronously on the event loop. Under 567 card sales/s that was
 * about 11 checkpoints a second, each a stall of several milliseconds (≈ 5 ms of fsync alone): the tail of the sales
 * latency. A worker thread with its own connection runs PASSIVE checkpoints instead (they never block writers or
 * readers).
 *
 * A PASSIVE checkpoint copies the frames committed before it began; under steady writes new ones always arrive
 * meanwhile, so the WAL is never wholly copied when a transaction begins, and only then does SQLite start it over. Left
 * alone the WAL grows to the fallback threshold, whose checkpoint then runs inside a commit on the event loop (15–20 ms
 * every 0.6 s under 1,750 card sales/s: the tail of the paced sales). So past `RESTART_AT_FRAMES` the checkpointer asks
 * this process's writer for a pause (`pause`: the connection is held, everything else waits for it without blocking
 * the event loop), copies the few frames left with a RESTART checkpoint, and lets go. `journal_size_limit` shrinks the
 * WAL file should the fallback ever have let it grow.
 */
export function startCheckpointer(
  sqlite: SQLite.Database,
  file: string,
  pause: (work: () => Promise<void>) => Promise<void>,
  { restartAtFrames = RESTART_AT_FRAMES }: { restartAtFrames?: number } = {},
): { stop(): Promise<void> } {
  sqlite.pragma(`wal_autocheckpoint = ${FALLBACK_AUTOCHECKPOINT_PAGES}`);
  sqlite.pragma('journal_size_limit = 134217728');
  const worker = new Worker(CHECKPOINTER_SOURCE, {
    eval: true,
    workerData: {
      module: createRequire(import.meta.url).resolve('better-sqlite3'),
      file,
      everyMs: CHECKPOINT_EVERY_MS,
      restartAt: restartAtFrames,
      retryMs: RESTART_RETRY_MS,
    },
  });
  worker.unref();
  /** Ends the pause in progress, once: at the checkpointer's answer, its time limit or its exit, whichever is first. */
  let restarted: (() => void) | undefined;
  const endPause = () => {
    const end = restarted;
    restarted = undefined;
    end?.();
  };
  worker.on('message', (message) => {
    if (message === 'restarted') endPause();
    if (message !== 'pause') return;
    void pause(
      () =>
        new Promise<void>((done) => {
          const limit = setTimeout(endPause, PAUSE_LIMIT_MS);
          restarted = () => {
            clearTimeout(limit);
            done();
          };
          worker.postMessage('paused');
        }),
    );
  });
  worker.on('error', () => {
    if (sqlite.open) sqlite.pragma('wal_autocheckpoint = 1000');
  });
  const exited = new Promise<void>((done) =>
    worker.once('exit', () => {
      endPause();
      done();
    }),
  );
  return {
    async stop() {
      worker.postMessage('stop');
      const timer = setTimeout(() => void worker.terminate(), 2_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
