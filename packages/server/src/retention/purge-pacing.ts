import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/**
 * How many messages a purge batch weighs, and how long the purge stands aside after each, so that it goes fast on
 * a quiet server and gives sends and fan-out nearly all of a busy one.
 *
 * A batch is sized by time, not by count: on SQLite the driver runs each statement on the event loop, so a batch
 * holds up every send and delivery for as long as it takes. TARGET_BATCH_MS keeps that wait well under the
 * latency a delivery is allowed (100 ms at p99 in the fan-out bench) whatever the machine and the rows cost.
 *
 * Between batches the purge waits, and how busy the event loop was with other work while it waited decides its
 * share of the next stretch of time: IDLE_SHARE when nothing else ran, falling in proportion to the other work down
 * to LOADED_SHARE when that work used the whole loop. Under a saturating load the purge therefore costs sends at
 * most about LOADED_SHARE of their capacity, and a quiet server erases at nearly full speed.
 */
export class PurgePacer {
  private size = FIRST_BATCH;
  /**
   * The other work's active and idle milliseconds over the recent waits, older ones fading (LOAD_MEMORY_MS): one
   * wait of a few milliseconds says little, as the loop may not have gone idle in it at all. Before the first wait
   * nothing is known, and the server counts as quiet: the first batch is small, and its wait measures the load.
   */
  private recent = { active: 0, idle: 0 };

  constructor(private readonly clock: PacingClock = systemClock) {}

  /** How many stored messages the next batch weighs. */
  batchSize(): number {
    return this.size;
  }

  /** Waits after a batch that took `workMs` for `weighed` messages; sizes the next batch from it. */
  async standAside(workMs: number, weighed: number): Promise<void> {
    if (weighed > 0) this.resize(workMs / weighed);
    const seen = this.recent.active + this.recent.idle;
    const share = purgeShare(seen === 0 ? 0 : this.recent.active / seen);
    const pauseMs = (workMs * (1 - share)) / share;
    const start = this.clock.utilisationSince(undefined);
    // One turn of the event loop at least, so sends that queued behind the batch run at once.
    await this.clock.yieldTurn();
    if (pauseMs >= MIN_PAUSE_MS) await this.clock.sleep(pauseMs);
    const { active, idle } = this.clock.utilisationSince(start);
    const fade = Math.exp(-(active + idle) / LOAD_MEMORY_MS);
    this.recent = { active: this.recent.active * fade + active, idle: this.recent.idle * fade + idle };
  }

  private resize(msPerMessage: number): void {
    const wanted = TARGET_BATCH_MS / Math.max(msPerMessage, 1e-3);
    // At most doubling or halving per batch: one slow batch (a checkpoint, a burst of sends) must not swing it.
    const next = Math.min(this.size * 2, Math.max(this.size / 2, wanted));
    this.size = Math.round(Math.min(MAX_BATCH, Math.max(MIN_BATCH, next)));
  }
}

/** The purge's share of the event loop's time, given the share other work took while the purge stood aside. */
export function purgeShare(otherWork: number): number {
  const busy = Math.min(1, Math.max(0, otherWork));
  return Math.max(LOADED_SHARE, IDLE_SHARE * (1 - busy));
}

/** What pacing needs of time: separate so that a test can drive it without waiting. */
export interface PacingClock {
  utilisationSince(start: EventLoopUtilization | undefined): EventLoopUtilization;
  yieldTurn(): Promise<void>;
  sleep(ms: number): Promise<void>;
}

/** Milliseconds of work a batch aims at. */
export const TARGET_BATCH_MS = 20;
/** The first batch's size, before any has been timed: small, so a slow machine's first stall is short. */
export const FIRST_BATCH = 100;
const MIN_BATCH = 20;
/** Bounded so a batch's id lists stay far below SQLite's and PostgreSQL's limits on bound parameters. */
export const MAX_BATCH = 2_000;
const IDLE_SHARE = 0.8;
const LOADED_SHARE = 0.05;
/** How long the load seen while waiting is remembered: long enough to span many short waits, short enough to follow a burst. */
const LOAD_MEMORY_MS = 250;
/** Shorter waits are not worth a timer: the turn of the loop already let queued work run. */
const MIN_PAUSE_MS = 1;

const systemClock: PacingClock = {
  utilisationSince: (start) => (start === undefined ? performance.eventLoopUtilization() : performance.eventLoopUtilization(start)),
  yieldTurn: () => new Promise((resolve) => setImmediate(resolve)),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};
