// The thread that checkpoints SQLite's write-ahead log for wal-checkpoints.ts, on a connection of its own, so that
// copying the log into the database and syncing it to disk never runs on the event loop. It decides nothing: it
// runs the checkpoint it is asked for and answers with SQLite's figures. Plain JavaScript, so that starting it
// loads no TypeScript compiler: it needs only better-sqlite3.
import { parentPort, workerData } from 'node:worker_threads';
import SqliteDatabase from 'better-sqlite3';

const port = parentPort;
if (!port) throw new Error('wal-checkpoint-worker.mjs runs only as a worker thread');
const { file, busyTimeoutMs } = workerData;
const database = new SqliteDatabase(file, { fileMustExist: true, timeout: busyTimeoutMs });

const MODES = { passive: 'PASSIVE', restart: 'RESTART', truncate: 'TRUNCATE' };

port.on('message', ({ id, mode }) => {
  if (mode === 'close') {
    // The last connection to close checkpoints what is left and removes the log, as SQLite does for any.
    database.close();
    port.close();
    return;
  }
  try {
    const [row] = database.pragma(`wal_checkpoint(${MODES[mode]})`);
    port.postMessage({ id, ok: true, busy: row.busy === 1, logFrames: row.log, checkpointedFrames: row.checkpointed });
  } catch (error) {
    port.postMessage({ id, ok: false, error: error instanceof Error ? error.message : String(error) });
  }
});
port.postMessage({ ready: true });
