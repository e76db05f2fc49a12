// Runs inside each thread of the CPU work pool (cpu-work-pool.ts): answers one task at a time, in order. A task
// that throws is answered as failed; the thread stays up for the next one.
import { parentPort } from 'node:worker_threads';
import { runCpuTask, type CpuTask } from './cpu-tasks';

export type CpuWorkerRequest = { id: number; task: CpuTask };
export type CpuWorkerReply = { id: number; ok: true; answer: unknown } | { id: number; ok: false };

const port = parentPort;
if (!port) throw new Error('cpu-worker.ts runs only as a worker thread');
port.on('message', ({ id, task }: CpuWorkerRequest) => {
  let reply: CpuWorkerReply;
  try {
    reply = { id, ok: true, answer: runCpuTask(task) };
  } catch {
    reply = { id, ok: false };
  }
  port.postMessage(reply);
});
// Tells the pool that the modules are loaded, so a task's time budget starts only when it can really run.
port.postMessage({ ready: true });
