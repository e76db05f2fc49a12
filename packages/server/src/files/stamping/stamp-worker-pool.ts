import { Worker } from 'node:worker_threads';
import type { StampResult, StampTask, StampWorkerReply } from './stamp-worker';

export const STAMP_LIMITS = Object.freeze({
  /** Wall-clock time for one copy, waiting for a free thread included: a 50-page PDF takes well under a second. */
  timeoutMs: 30_000,
  /** Heap of one thread: a PDF up to the stamping limit, parsed, and its stamped copy. */
  maxWorkerHeapMb: 512,
  threads: 2,
});

const ENTRY = new URL('./stamp-worker-entry.mjs', import.meta.url);

/**
 * Stamps copies in long-lived worker threads, so that building the overlay, pdf-lib's parsing and writing, and a
 * crafted document's worst case never hold up the event loop, and a download does not pay a thread's start-up.
 * Each thread stamps one copy at a time; one that passes the time limit or dies is replaced for the next copy.
 * `stamp` never rejects: whatever ends a copy early is `{ ok: false }`, and the copy is not sent.
 */
export class StampWorkerPool {
  private readonly threads = Array.from({ length: STAMP_LIMITS.threads }, () => new StampThread());
  private readonly waiting: Array<(thread: StampThread) => void> = [];
  private closed = false;

  async stamp(task: StampTask): Promise<StampResult> {
    if (this.closed) return { ok: false };
    const deadline = Date.now() + STAMP_LIMITS.timeoutMs;
    const thread = await this.acquire();
    try {
      // A buffer of its own, moved to the thread: the caller's may share Node's pool with other buffers.
      return await thread.run({ ...task, bytes: new Uint8Array(task.bytes) }, deadline - Date.now());
    } finally {
      this.release(thread);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((thread) => thread.end()));
  }

  private acquire(): Promise<StampThread> {
    const free = this.threads.find((thread) => !thread.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  private release(thread: StampThread): void {
    const next = this.waiting.shift();
    if (next) next(thread);
    else thread.busy = false;
  }
}

/** One thread, started when first needed and again after it was ended. */
class StampThread {
  busy = false;
  private worker: Worker | undefined;
  private ready: Promise<boolean> | undefined;
  private nextId = 1;

  async run(task: StampTask, timeoutMs: number): Promise<StampResult> {
    if (timeoutMs <= 0) return { ok: false };
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<StampResult>((resolve) => {
      const finish = (result: StampResult) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('exit', onExit);
        resolve(result);
      };
      const timer = setTimeout(() => {
        finish({ ok: false });
        void this.end();
      }, timeoutMs);
      const onMessage = (reply: StampWorkerReply | { ready: true }) => {
        if ('id' in reply && reply.id === id) finish(reply.result);
      };
      const onExit = () => finish({ ok: false });
      worker.on('message', onMessage);
      worker.on('exit', onExit);
      void this.ready!.then((up) => (up ? worker.postMessage({ id, task }, [task.bytes.buffer as ArrayBuffer]) : finish({ ok: false })));
    });
  }

  async end(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    await worker?.terminate();
  }

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(ENTRY, {
      // The entry registers tsx itself; the parent's flags (a second tsx, --test, an inspector) would get in its way.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: STAMP_LIMITS.maxWorkerHeapMb },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    // An idle pool must not keep a process alive that has nothing else to do (a CLI command, a finished test).
    worker.unref();
    worker.setMaxListeners(0);
    this.worker = worker;
    this.ready = new Promise((resolve) => {
      worker.once('message', () => resolve(true));
      worker.once('exit', () => resolve(false));
    });
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.ready = undefined;
      }
    });
    return worker;
  }
}
