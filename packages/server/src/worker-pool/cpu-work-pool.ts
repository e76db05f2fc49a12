import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { runCpuTask, type CpuAnswer, type CpuTask } from './cpu-tasks';
import type { CpuWorkerReply } from './cpu-worker';

export interface CpuWorkPoolOptions {
  /** How long one task may run on a thread; past it the thread is ended and the task counts as not done. */
  timeoutMs: number;
  /** Threads kept; by default one per core but one, at least two and at most four. */
  threads?: number;
}

/**
 * Input up to this many characters is worked on inline. Measured on the 2-core bench VM while busy (mixed English
 * and Chinese text, the words of one message, mean of 50): 200 characters took 0.7 ms inline and 0.7 ms as a
 * round trip to a thread; 2,000 took 1.7 ms inline against 3.8 ms on a thread; 10,000 took 6.3 ms against 14.5 ms.
 * The hop never saves total time, it only frees the event loop; so normal chat messages stay inline, and from
 * 2,000 characters on, where inline work would hold every other request up for milliseconds, they go to a thread.
 */
export const INLINE_MAX_CHARS = 2_000;
/**
 * Largest input a task takes at all: a send's text and ten files' extracted text fit many times over. Anything
 * bigger did not come from our own extraction and counts as not done, like a task past its time.
 */
export const TASK_MAX_CHARS = 4_000_000;
/** Heap of one thread: generous for 200,000 characters of text and its words, small against the server's. */
const THREAD_HEAP_MB = 256;

const ENTRY = new URL('./cpu-worker-entry.mjs', import.meta.url);

/**
 * The one place CPU-heavy steps of a send, edit or forward run: search tokenising and DLP scanning of long text.
 * A fixed set of worker threads is started with the server and reused, so the event loop stays free to answer
 * everyone else while a message carrying a large document is processed. Each task gets a time budget; a task
 * that runs past it, crashes its thread or is too big answers `undefined`, which callers treat as content that
 * could not be read (DLP fails closed on it). An ended thread is replaced for the next task.
 */
export class CpuWorkPool {
  private readonly threads: PoolThread[];
  private readonly waiting: Array<(thread: PoolThread) => void> = [];
  private closed = false;

  constructor(private readonly options: CpuWorkPoolOptions) {
    const count = options.threads ?? Math.min(4, Math.max(2, availableParallelism() - 1));
    this.threads = Array.from({ length: count }, () => new PoolThread());
  }

  /** The task's answer, computed inline when its input is short and on a thread otherwise; undefined: not done. */
  async run<T extends CpuTask>(task: T): Promise<CpuAnswer<T> | undefined> {
    const size = sizeOf(task);
    if (size > TASK_MAX_CHARS || this.closed) return undefined;
    if (size <= INLINE_MAX_CHARS) return runCpuTask(task);
    const thread = await this.acquire();
    try {
      return (await thread.run(task, this.options.timeoutMs)) as CpuAnswer<T> | undefined;
    } finally {
      this.release(thread);
    }
  }

  /** Ends every thread; later tasks answer undefined. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.threads.map((thread) => thread.end()));
  }

  private acquire(): Promise<PoolThread> {
    const free = this.threads.find((thread) => !thread.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Hands the thread straight to the next waiting task, or frees it. */
  private release(thread: PoolThread): void {
    const next = this.waiting.shift();
    if (next) next(thread);
    else thread.busy = false;
  }
}

/** One worker thread, started when first needed and again after it was ended; it runs one task at a time. */
class PoolThread {
  busy = false;
  private worker: Worker | undefined;
  private ready: Promise<boolean> | undefined;
  private nextId = 1;
  /** The task in hand: which thread runs it (an ended thread's late events must not settle a newer task). */
  private pending: { worker: Worker; id: number; settle: (reply: CpuWorkerReply | undefined) => void } | undefined;

  /**
   * The answer, or undefined when the thread did not give one within `timeoutMs` of receiving the task (the
   * thread's start-up is not counted: it is the same for every task and says nothing about the input).
   */
  async run(task: CpuTask, timeoutMs: number): Promise<unknown> {
    const worker = this.start();
    if (!(await this.ready)) return undefined;
    const id = this.nextId++;
    const reply = await new Promise<CpuWorkerReply | undefined>((resolve) => {
      const timer = setTimeout(() => {
        this.pending = undefined;
        resolve(undefined);
        void this.end();
      }, timeoutMs);
      this.pending = {
        worker,
        id,
        settle: (answer) => {
          clearTimeout(timer);
          this.pending = undefined;
          resolve(answer);
        },
      };
      worker.postMessage({ id, task });
    });
    return reply?.ok ? reply.answer : undefined;
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
      // The entry registers tsx itself; inheriting the parent's flags (a second tsx, --test, an inspector port)
      // would only get in its way.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: THREAD_HEAP_MB },
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    // An idle pool must not keep a process alive that has nothing else to do (a CLI command, a finished test).
    worker.unref();
    this.worker = worker;
    this.ready = new Promise((resolve) => {
      worker.once('message', () => resolve(true));
      worker.once('exit', () => resolve(false));
    });
    worker.on('message', (reply: CpuWorkerReply | { ready: true }) => {
      if ('id' in reply && this.pending?.worker === worker && this.pending.id === reply.id) this.pending.settle(reply);
    });
    // A crash (out of heap, an exception outside a task) ends the task in hand as not done.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.ready = undefined;
      }
      if (this.pending?.worker === worker) this.pending.settle(undefined);
    });
    return worker;
  }
}

function sizeOf(task: CpuTask): number {
  return task.kind === 'document-terms' ? task.parts.reduce((sum, part) => sum + part.length, 0) : task.text.length;
}
