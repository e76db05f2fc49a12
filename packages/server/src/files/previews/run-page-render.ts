import { Worker } from 'node:worker_threads';
import type { PageRenderRequest, PageRenderResult } from './page-render-worker';
import { WorkerSlots } from './worker-slots';

/**
 * Every bound rendering works within: pdf.js parses untrusted files, so time and heap are capped, and reaching a
 * cap means "no rendered view", never a crash of the server's thread.
 */
export const PAGE_RENDER_LIMITS = Object.freeze({
  /** Wall-clock time for drawing one page, waiting for a free worker included. */
  timeoutMs: 20_000,
  /** V8 old-generation heap of one worker (the canvas itself is native memory, about 10 MB at 1600 px). */
  maxWorkerHeapMb: 512,
  workers: 2,
});

const ENTRY = new URL('./page-render-worker-entry.mjs', import.meta.url);
const slots = new WorkerSlots(PAGE_RENDER_LIMITS.workers);

/**
 * Draws one page of a PDF, and counts its pages, in a worker thread of its own. Never rejects: whatever ends the
 * worker early (the time limit, the heap limit, a crash) is `{ ok: false }`.
 */
export async function runPageRender(request: PageRenderRequest): Promise<PageRenderResult> {
  const deadline = Date.now() + PAGE_RENDER_LIMITS.timeoutMs;
  if (!(await slots.acquire(deadline))) return { ok: false };
  try {
    // A copy with a buffer of its own, moved to the worker: the caller's may share Node's pool with other buffers.
    return await runWorker({ ...request, bytes: new Uint8Array(request.bytes) }, deadline - Date.now());
  } finally {
    slots.release();
  }
}

function runWorker(request: PageRenderRequest, timeoutMs: number): Promise<PageRenderResult> {
  return new Promise((resolve) => {
    const worker = new Worker(ENTRY, {
      // The document's bytes move to the worker rather than being copied.
      workerData: request,
      transferList: [request.bytes.buffer as ArrayBuffer],
      // The entry registers tsx itself; the parent's flags (a second tsx, --test, an inspector) would get in its way.
      execArgv: [],
      resourceLimits: { maxOldGenerationSizeMb: PAGE_RENDER_LIMITS.maxWorkerHeapMb },
      // pdf.js's complaints about malformed files are noise between the server's JSON log lines.
      stdout: true,
      stderr: true,
    });
    worker.stdout.resume();
    worker.stderr.resume();
    let settled = false;
    const finish = (result: PageRenderResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(result);
      worker.terminate().catch(() => undefined);
    };
    const timer = setTimeout(() => finish({ ok: false }), Math.max(0, timeoutMs));
    worker.on('message', (result: PageRenderResult) => finish(result));
    worker.on('error', () => finish({ ok: false }));
    worker.on('exit', () => finish({ ok: false }));
  });
}
