// Runs inside each thread of the stamping pool (stamp-worker-pool.ts): stamps one copy at a time, in order. A copy
// that cannot be stamped is answered as failed; the thread stays up for the next one.
import { parentPort } from 'node:worker_threads';
import { stampImage } from './image-stamp';
import { stampPdf } from './pdf-stamp';
import type { StampText } from './stamp-text';
import { stampText } from './text-stamp';

/** `format` is sharp's name for the image's format (jpeg, png, webp, gif). */
export type StampTask =
  | { kind: 'image'; bytes: Uint8Array; format: string; text: StampText }
  | { kind: 'pdf'; bytes: Uint8Array; text: StampText }
  | { kind: 'text'; bytes: Uint8Array; text: StampText };
/** `format` is the stamped image's (the PDF's is PDF); `pages` is the PDF's page count. */
export type StampResult = { ok: true; bytes: Uint8Array; format?: string; pages?: number } | { ok: false };
export type StampWorkerRequest = { id: number; task: StampTask };
export type StampWorkerReply = { id: number; result: StampResult };

async function stamp(task: StampTask): Promise<StampResult> {
  if (task.kind === 'pdf') return { ok: true, ...(await stampPdf(task.bytes, task.text)) };
  if (task.kind === 'text') {
    const marked = stampText(task.bytes, task.text);
    return marked ? { ok: true, bytes: marked } : { ok: false };
  }
  const image = await stampImage(task.bytes, task.format, task.text);
  return { ok: true, bytes: image.bytes, format: image.format };
}

const port = parentPort;
if (!port) throw new Error('stamp-worker.ts runs only as a worker thread');
port.on('message', ({ id, task }: StampWorkerRequest) => {
  void stamp(task)
    .catch((): StampResult => ({ ok: false }))
    .then((result) => port.postMessage({ id, result } satisfies StampWorkerReply, result.ok ? [result.bytes.buffer as ArrayBuffer] : []));
});
// Tells the pool that the modules are loaded, so a copy's time budget starts only when it can really be stamped.
port.postMessage({ ready: true });
