import { Worker } from 'node:worker_threads';
import type BetterSqlite3 from 'better-sqlite3';

/** SQLite's answer to a checkpoint: whether it was kept from finishing, the log's length and how much of it is copied. */
export interface CheckpointResult {
  busy: boolean;
  logFrames: number;
  checkpointedFrames: number;
}

/** How often the thread looks for newly committed pages to copy into the database once the log stands still. */
export const PASSIVE_EVERY_MS = 200;
/**
 * A log this long (about 64 MB at SQLite's 4 KB pages) is started over: passive checkpoints copy the log but never
 * shorten it, and under steady writes SQLite never gets to start it over by itself (see the class comment). Each
 * restart holds the server's queries up for a moment, so it comes seldom rather than often.
 */
export const RESTART_AT_FRAMES = 16_000;
/**
 * How long the thread's RESTART or TRUNCATE waits for a reader of an older snapshot in another process (a backup's
 * `VACUUM INTO`, a command-line tool): the server's queries queue meanwhile, so not long.
 */
const HELD_WAIT_MS = 50;
/** How long after a RESTART or TRUNCATE kept from finishing the next is tried: each try holds the server's queries up. */
const RETRY_MS = 1_000;
/** SQLite's own default, restored on the main connection should the thread be lost. */
const SQLITE_DEFAULT_AUTOCHECKPOINT = 1_000;

const ENTRY = new URL('./wal-checkpoint-worker.mjs', import.meta.url);

/**
 * SQLite's write-ahead log, checkpointed on a thread of its own. SQLite's automatic checkpoint runs in the
 * connection that commits, at the commit that takes the log past 1,000 pages: on the server's one connection that
 * is the event loop, which then copies megabytes into the database and waits for the disk to sync them while
 * every send and delivery waits (what stalled fan-out during a retention purge, whose deletions write many pages).
 * So the main connection runs with `wal_autocheckpoint = 0` and this class
 *
 * - has the thread run PASSIVE checkpoints, which copy what was committed into the database without blocking the
 *   writer or any reader: one after the other while the log grows, then every PASSIVE_EVERY_MS once it stands
 *   still. A passive checkpoint never shortens the log, though, and SQLite starts writing it from its beginning
 *   again only when a write begins with nothing left to copy, which under a steady stream of writes is never;
 * - so once the log reaches RESTART_AT_FRAMES, has the thread run a RESTART checkpoint, after which the next write
 *   starts the log over; and when asked to empty the log (`empty`, after a deletion: db/reclaim.ts), a TRUNCATE
 *   checkpoint, which also cuts the file to zero bytes. Both wait for the writer and for readers of older
 *   snapshots, so the thread runs them while this process holds its one connection (`whileIdle`): none of the
 *   server's queries runs then, so the checkpoint cannot wait on one, and the event loop goes on (only queries
 *   queue). The passive checkpoints have copied nearly all of the log by then, so the hold is short: one sync of
 *   the database file (measured on the 2-core VM during a purge: about 20 ms for a RESTART, 100 ms for a TRUNCATE
 *   of a 64 MB log, which has to give the file's blocks back). One kept from finishing by another process's reader
 *   is tried again after RETRY_MS, and an empty log once asked for is tried for until it is had: until then the
 *   log may still hold pages as they were before a deletion.
 *
 * Should the thread not start or die, the main connection's automatic checkpoint is switched back on and the log
 * is emptied on the main connection.
 */
export class WalCheckpoints {
  private worker: Worker | undefined;
  /** The next passive checkpoint's timer. */
  private timer: NodeJS.Timeout | undefined;
  /** Requests run one at a time, in order. */
  private queue: Promise<unknown> = Promise.resolve();
  private nextId = 1;
  private readonly pending = new Map<number, (answer: WorkerAnswer) => void>();
  /** An empty log was asked for (or needed) and has not been had yet. */
  private owed = false;
  /** After a RESTART or TRUNCATE found a reader in the way, the next is not tried before this (performance.now()). */
  private retryAt = 0;
  /** How long the log was at the last passive checkpoint, to tell whether anything was committed since. */
  private lastLogFrames = 0;
  private readonly exited: Promise<void>;

  constructor(
    private readonly main: BetterSqlite3.Database,
    private readonly whileIdle: <T>(task: () => Promise<T>) => Promise<T>,
  ) {
    main.pragma('wal_autocheckpoint = 0');
    const worker = new Worker(ENTRY, { workerData: { file: main.name, busyTimeoutMs: HELD_WAIT_MS }, execArgv: [], stdout: true, stderr: true });
    worker.stdout.resume();
    worker.stderr.resume();
    // An idle thread must not keep a process alive that has nothing else to do; one with a request in hand does
    // (`ask`), so that a caller awaiting its answer is not cut short.
    worker.unref();
    worker.on('message', (answer: WorkerAnswer | { ready: true }) => {
      if ('id' in answer) this.settle(answer.id, answer);
    });
    worker.on('error', () => undefined);
    this.exited = new Promise((resolve) => worker.once('exit', () => resolve()));
    void this.exited.then(() => this.lost(worker));
    this.worker = worker;
    void this.tick();
  }

  /**
   * Empties the log into the database, down to zero bytes: after a deletion, so that the log keeps no page as it
   * was before. Answers whether it did; if not, it is tried again every RETRY_MS until it does.
   */
  async empty(): Promise<boolean> {
    this.owed = true;
    const result = await this.enqueue(() => this.whileHeld('truncate'));
    return !result.busy;
  }

  /** Stops checkpointing; the thread closes its connection (the last one to close checkpoints the rest). */
  async close(): Promise<void> {
    this.stopTicking();
    const worker = this.worker;
    this.worker = undefined;
    worker?.ref();
    worker?.postMessage({ id: 0, mode: 'close' });
    await this.exited;
  }

  /**
   * One passive checkpoint, then the next: at once while the log grows, so that each copies only what was committed
   * during the one before and a RESTART or TRUNCATE finds little left to copy; after PASSIVE_EVERY_MS once it stands
   * still.
   */
  private async tick(): Promise<void> {
    this.timer = undefined;
    if (!this.worker) return;
    let again = false;
    try {
      await this.enqueue(async () => {
        const copied = await this.ask('passive');
        // SQLite counts the log as it was when the checkpoint began, so "all copied" says nothing of what was
        // committed meanwhile: a log that grew since the last checkpoint may have grown again.
        again = copied.logFrames !== this.lastLogFrames;
        this.lastLogFrames = copied.logFrames;
        if (performance.now() < this.retryAt) return;
        if (this.owed) await this.whileHeld('truncate');
        else if (copied.logFrames >= RESTART_AT_FRAMES) await this.whileHeld('restart');
      });
    } catch {
      // The thread is gone (`lost` has taken over) or the database is closing: nothing to copy any more.
    }
    if (!this.worker) return;
    this.timer = setTimeout(() => void this.tick(), again ? 0 : PASSIVE_EVERY_MS);
    this.timer.unref();
  }

  /** A RESTART or TRUNCATE checkpoint, while none of the server's queries runs (see the class comment). */
  private async whileHeld(mode: 'restart' | 'truncate'): Promise<CheckpointResult> {
    const result = await this.whileIdle(async () => (this.worker ? this.ask(mode) : checkpointOn(this.main, mode)));
    if (result.busy) this.retryAt = performance.now() + RETRY_MS;
    else if (mode === 'truncate') this.owed = false;
    return result;
  }

  private stopTicking(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private enqueue<T>(task: () => Promise<T>): Promise<T> {
    const run = this.queue.then(task, task);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async ask(mode: 'passive' | 'restart' | 'truncate'): Promise<CheckpointResult> {
    const worker = this.worker;
    if (!worker) throw new Error('the checkpoint thread is gone');
    const id = this.nextId++;
    worker.ref();
    const answer = await new Promise<WorkerAnswer>((resolve) => {
      this.pending.set(id, resolve);
      worker.postMessage({ id, mode });
    });
    if (!answer.ok) throw new Error(`checkpoint failed: ${answer.error}`);
    return { busy: answer.busy, logFrames: answer.logFrames, checkpointedFrames: answer.checkpointedFrames };
  }

  private settle(id: number, answer: WorkerAnswer): void {
    this.pending.get(id)?.(answer);
    this.pending.delete(id);
    if (this.pending.size === 0) this.worker?.unref();
  }

  /** The thread ended: closed on purpose, or lost, in which case SQLite's own checkpoints take over again. */
  private lost(worker: Worker): void {
    for (const id of [...this.pending.keys()]) this.settle(id, { id, ok: false, error: 'the checkpoint thread ended' });
    if (this.worker !== worker) return;
    this.worker = undefined;
    this.stopTicking();
    if (this.main.open) this.main.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT}`);
  }
}

type WorkerAnswer = ({ ok: true } & CheckpointResult & { id: number }) | { id: number; ok: false; error: string };

function checkpointOn(database: BetterSqlite3.Database, mode: 'restart' | 'truncate'): CheckpointResult {
  const [row] = database.pragma(`wal_checkpoint(${mode.toUpperCase()})`) as { busy: number; log: number; checkpointed: number }[];
  return { busy: row!.busy === 1, logFrames: row!.log, checkpointedFrames: row!.checkpointed };
}
