import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { DocumentKind, DocumentWorkerData, DocumentWorkerMessage } from './document-worker';
import type { TextExtraction, TextExtractionLimits } from './limits';
import { TextBudget } from './text-budget';

/**
 * Workers running at once. Each may use `maxWorkerHeapMb` of heap plus the file and its inflated parts, so a burst
 * of uploads waits for a free worker rather than multiplying that by the number of uploads. Two at least, because
 * a worker spends much of its short life starting up rather than using a core.
 */
export const DOCUMENT_WORKERS_MAX = Math.min(4, Math.max(2, availableParallelism() - 1));

const ENTRY = new URL('./document-worker-entry.mjs', import.meta.url);

/**
 * Parses a document, archive or image in a worker thread, so that neither a parser bug, nor a memory blow-up, nor an endless loop
 * on crafted input can reach the server's thread. Never rejects: whatever ends the worker early (the time limit,
 * the heap limit, a crash) yields the text it had posted so far, marked incomplete.
 */
export async function runDocumentWorker(kind: DocumentKind, filePath: string, limits: TextExtractionLimits): Promise<TextExtraction> {
  const deadline = Date.now() + limits.timeoutMs;
  if (!(await acquireSlot(deadline))) return { text: '', complete: false };
  try {
    return await runWorker({ kind, filePath, limits }, deadline - Date.now());
  } finally {
    releaseSlot();
  }
}

function runWorker(data: DocumentWorkerData, timeoutMs: number): Promise<TextExtraction> {
  return new Promise((resolve) => {
    const budget = new TextBudget(data.limits.maxChars);
    const worker = new Worker(ENTRY, {
      workerData: data,
      // The entry registers tsx itself; inheriting the parent's flags (a second tsx, --test, an inspector port)
      // would only get in its way.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: data.limits.maxWorkerHeapMb },
      // Console output from the worker would be parser noise about malformed files between the server's JSON log
      // lines; it is taken here and discarded below.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const finish = (complete: boolean) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ text: budget.text, complete: complete && !budget.exhausted });
      // Terminating an already finished worker is harmless; the promise only reports the exit code.
      worker.terminate().catch(() => undefined);
    };
    const timer = setTimeout(() => finish(false), Math.max(0, timeoutMs));
    worker.on('message', (message: DocumentWorkerMessage) => {
      if (message.type === 'text') budget.append(message.text);
      else finish(message.complete);
    });
    // An error event is the worker dying (out of heap, an exception outside `extract`); exit covers every way out.
    worker.on('error', () => finish(false));
    worker.on('exit', () => finish(false));
  });
}

let busy = 0;
const waiting: Array<() => void> = [];

/** Waits for a free worker slot until `deadline`; false if none came free in time. */
function acquireSlot(deadline: number): Promise<boolean> {
  if (busy < DOCUMENT_WORKERS_MAX) {
    busy += 1;
    return Promise.resolve(true);
  }
  return new Promise((resolve) => {
    const grant = () => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      waiting.splice(waiting.indexOf(grant), 1);
      resolve(false);
    }, deadline - Date.now());
    waiting.push(grant);
  });
}

/** Hands the slot straight to the next waiter, or frees it. */
function releaseSlot(): void {
  const next = waiting.shift();
  if (next) next();
  else busy -= 1;
}
