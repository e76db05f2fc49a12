import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { FileSource } from '../file-source';
import type { DocumentJob, DocumentKind, DocumentWorkerMessage } from './document-worker';
import type { TextExtraction, TextExtractionLimits } from './limits';
import { TextBudget } from './text-budget';

/**
 * Workers running at once. Each may use `maxWorkerHeapMb` of heap plus the file and its inflated parts, so a burst
 * of uploads waits for a free worker rather than multiplying that by the number of uploads.
 */
export const DOCUMENT_WORKERS_MAX = Math.min(4, Math.max(2, availableParallelism() - 1));
/**
 * Extractions one worker runs before it is replaced. Parsers keep caches (pdf.js its fonts, the module graph its
 * parsers), so a worker that lived for ever would grow towards its heap limit; a fresh one every few hundred files
 * bounds that growth for the cost of one start-up (0.5 to 2 s on the 2-core bench VM) in a few hundred files.
 */
export const EXTRACTIONS_PER_WORKER = 200;

export interface DocumentWorkerPoolOptions {
  size?: number;
  extractionsPerWorker?: number;
}

/** Counts that tests read to see workers reused and replaced, without looking at timing. */
export interface DocumentWorkerPoolStats {
  /** Workers started since the pool was made, replacements included. */
  workersStarted: number;
  /** Workers alive now, busy or idle. */
  workersAlive: number;
}

const ENTRY = new URL('./document-worker-entry.mjs', import.meta.url);
const UNREAD: TextExtraction = { text: '', complete: false };

/**
 * Parses documents, archives and images in long-lived worker threads, so that neither a parser bug, nor a memory
 * blow-up, nor an endless loop on crafted input can reach the server's thread, and so that an upload does not pay
 * a worker's start-up. Workers are started when first needed and kept; each runs one extraction at a time. A
 * worker that passes the time limit is terminated, one that dies (out of heap, a crash) is gone, and one that has
 * run `extractionsPerWorker` extractions is retired: the next extraction on that slot starts a fresh one.
 * `extract` never rejects: whatever ends an extraction early yields the text posted so far, marked incomplete.
 */
export class DocumentWorkerPool {
  private readonly slots: DocumentWorkerSlot[];
  private readonly waiting: Array<(slot: DocumentWorkerSlot | undefined) => void> = [];
  private readonly counts = { started: 0 };
  private closed = false;

  constructor(options: DocumentWorkerPoolOptions = {}) {
    const perWorker = options.extractionsPerWorker ?? EXTRACTIONS_PER_WORKER;
    this.slots = Array.from({ length: options.size ?? DOCUMENT_WORKERS_MAX }, () => new DocumentWorkerSlot(perWorker, this.counts));
  }

  /**
   * The file's text; `limits.timeoutMs` bounds the whole of it, waiting for a free worker included. The file is
   * opened here, on the server's thread (decrypting is fast and goes a segment at a time), and its bytes are moved
   * to the worker: PDFs and ZIPs keep their index at the end, so a file over `maxDocumentBytes` is not read at all.
   */
  async extract(kind: DocumentKind, source: FileSource, limits: TextExtractionLimits): Promise<TextExtraction> {
    const deadline = Date.now() + limits.timeoutMs;
    if (source.size > limits.maxDocumentBytes) return UNREAD;
    let bytes: Uint8Array;
    try {
      // A copy with a buffer of its own, so moving it to the worker takes nothing else with it.
      bytes = new Uint8Array((await source.prefix(limits.maxDocumentBytes)).bytes);
    } catch {
      return UNREAD;
    }
    const slot = await this.acquire(deadline);
    if (!slot) return UNREAD;
    try {
      return await slot.extract(kind, bytes, limits, deadline);
    } finally {
      this.release(slot);
    }
  }

  stats(): DocumentWorkerPoolStats {
    return { workersStarted: this.counts.started, workersAlive: this.slots.filter((slot) => slot.alive).length };
  }

  /** Ends every worker; extractions in hand or waiting, and any later ones, come back unread. */
  async close(): Promise<void> {
    this.closed = true;
    for (const grant of this.waiting.splice(0)) grant(undefined);
    await Promise.all(this.slots.map((slot) => slot.close()));
  }

  /** A free slot, waiting for one until `deadline`; undefined if none came free in time or the pool closed. */
  private acquire(deadline: number): Promise<DocumentWorkerSlot | undefined> {
    if (this.closed) return Promise.resolve(undefined);
    const free = this.slots.find((slot) => !slot.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => {
      const grant = (slot: DocumentWorkerSlot | undefined) => {
        clearTimeout(timer);
        resolve(slot);
      };
      const timer = setTimeout(() => {
        this.waiting.splice(this.waiting.indexOf(grant), 1);
        resolve(undefined);
      }, deadline - Date.now());
      this.waiting.push(grant);
    });
  }

  /** Hands the slot straight to the next waiter, or frees it. */
  private release(slot: DocumentWorkerSlot): void {
    const next = this.closed ? undefined : this.waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }
}

/** The extraction in hand on a worker; late messages of a worker that was ended must not reach a newer one. */
interface Pending {
  worker: Worker;
  id: number;
  budget: TextBudget;
  finish: (complete: boolean) => void;
}

/** One place for a worker: started when first needed, and again after its worker was ended or retired. */
class DocumentWorkerSlot {
  busy = false;
  private worker: Worker | undefined;
  private ready: Promise<boolean> | undefined;
  /** Heap limit the worker was started with: V8 fixes it at start, so an extraction asking another one needs a new worker. */
  private heapMb = 0;
  private extractions = 0;
  private nextId = 1;
  private pending: Pending | undefined;
  private closed = false;

  constructor(
    private readonly extractionsPerWorker: number,
    private readonly counts: { started: number },
  ) {}

  get alive(): boolean {
    return this.worker !== undefined;
  }

  async extract(kind: DocumentKind, bytes: Uint8Array, limits: TextExtractionLimits, deadline: number): Promise<TextExtraction> {
    if (this.worker && (this.heapMb !== limits.maxWorkerHeapMb || this.extractions >= this.extractionsPerWorker)) await this.end();
    if (this.closed) return UNREAD;
    const worker = this.start(limits.maxWorkerHeapMb);
    // A worker still starting at the deadline is left to finish starting, for the next extraction: ending it would
    // make every extraction on a busy machine pay the start-up again and meet its deadline again.
    if (!(await beforeDeadline(this.ready!, deadline))) return UNREAD;
    // An extraction that waited its whole time for a free worker must not cost that worker its warm state.
    if (Date.now() >= deadline) return UNREAD;
    this.extractions += 1;
    const job: DocumentJob = { id: this.nextId++, kind, bytes, limits };
    const budget = new TextBudget(limits.maxChars);
    return new Promise((resolve) => {
      const finish = (complete: boolean) => {
        clearTimeout(timer);
        this.pending = undefined;
        resolve({ text: budget.text, complete: complete && !budget.exhausted });
      };
      // Past the deadline the worker may be in an endless loop on crafted input: it is ended, not waited for.
      const timer = setTimeout(() => {
        finish(false);
        void this.end();
      }, deadline - Date.now());
      this.pending = { worker, id: job.id, budget, finish };
      worker.postMessage(job, [bytes.buffer as ArrayBuffer]);
    });
  }

  /** Ends the worker for good: the pool is closing. */
  async close(): Promise<void> {
    this.closed = true;
    await this.end();
  }

  async end(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.ready = undefined;
    await worker?.terminate();
  }

  private start(heapMb: number): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(ENTRY, {
      // The entry registers tsx itself; inheriting the parent's flags (a second tsx, --test, an inspector port)
      // would only get in its way.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: heapMb },
      // Console output from the worker would be parser noise about malformed files between the server's JSON log
      // lines; it is taken here and discarded.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    // An idle pool must not keep a process alive that has nothing else to do (a CLI command, a finished test).
    worker.unref();
    this.counts.started += 1;
    this.worker = worker;
    this.heapMb = heapMb;
    this.extractions = 0;
    this.ready = new Promise((resolve) => {
      worker.once('message', () => resolve(true));
      worker.once('exit', () => resolve(false));
    });
    worker.on('message', (message: DocumentWorkerMessage) => {
      const pending = this.pending;
      if (message.type === 'ready' || pending?.worker !== worker || pending.id !== message.id) return;
      if (message.type === 'text') pending.budget.append(message.text);
      else pending.finish(message.complete);
    });
    // An error event is the worker dying (out of heap, an exception outside an extraction); exit covers every way out.
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (this.worker === worker) {
        this.worker = undefined;
        this.ready = undefined;
      }
      if (this.pending?.worker === worker) this.pending.finish(false);
    });
    return worker;
  }
}

/** Whether `ready` resolved true before `deadline`; false if it resolved false or the deadline came first. */
function beforeDeadline(ready: Promise<boolean>, deadline: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), deadline - Date.now());
    void ready.then((value) => {
      clearTimeout(timer);
      resolve(value);
    });
  });
}
