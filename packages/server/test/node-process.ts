import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BuildOptions } from '../src/index';

const entry = fileURLToPath(new URL('./node-process-entry.ts', import.meta.url));
const START_TIMEOUT_MS = 60_000;

type EntryMessage = { type: 'ready'; url: string } | { type: 'failed'; error: string };

/**
 * One Enclave node as a separate OS process (node-process-entry.ts), configured by environment variables as an
 * operator's node is: a test can kill it with SIGKILL, which ends it at once, mid-transaction and mid-job, with no
 * chance to close its streams, its NATS connection or its database sessions. Started again, it comes back on the
 * same port, as a restarted machine would behind a fixed address.
 */
export class NodeProcess {
  private child: ChildProcess | undefined;

  constructor(
    /** The node's settings: DATABASE_URL, ENCLAVE_DATA_DIR, ENCLAVE_NATS_URL, …; PORT is the node's own. */
    private readonly env: Record<string, string>,
    readonly port: number,
    private readonly build: BuildOptions = {},
  ) {}

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.child !== undefined && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Starts the node and waits until it listens; a node that fails to start fails the caller with its reason. */
  async start(): Promise<void> {
    const child = fork(entry, [], {
      execArgv: ['--import', 'tsx'],
      env: { ...process.env, ...this.env, HOST: '127.0.0.1', PORT: String(this.port), ENCLAVE_TEST_BUILD_OPTIONS: JSON.stringify(this.build) },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    this.child = child;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`the node on port ${this.port} did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      child.once('exit', (code, signal) => reject(new Error(`the node on port ${this.port} exited while starting (${signal ?? code})`)));
      child.once('message', (message: EntryMessage) => {
        clearTimeout(timer);
        if (message.type === 'ready') resolve();
        else reject(new Error(`the node on port ${this.port} failed to start: ${message.error}`));
      });
    }).catch((error: unknown) => {
      child.kill('SIGKILL');
      throw error;
    });
  }

  /** Ends the process at once, as a power cut or the kernel's OOM killer would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGKILL');
    await exited;
  }

  /** Closes the node as an operator's stop would (its streams, broker line and database), killing it if it hangs. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || !this.running) return;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.disconnect();
    const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
}
