import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { BenchAnswer, BenchQuery, LoopDelayFigures, MemoryFigures, SecureDeleteMode, StorageFigures } from './bench-ipc';
import { pinToCore, SERVER_CORE } from './cpu-pinning';

const START_TIMEOUT_MS = 30_000;
const QUERY_TIMEOUT_MS = 30_000;
// A purge still running holds the officer's request up to 20 s (it then answers with its progress), and closing waits for it.
const STOP_TIMEOUT_MS = 30_000;

export type ServerKind = 'enclave' | 'baseline';

const scripts: Record<ServerKind, string> = {
  enclave: fileURLToPath(new URL('./enclave-server.ts', import.meta.url)),
  baseline: fileURLToPath(new URL('./baseline-server.ts', import.meta.url)),
};

/** A server under test running in its own process, pinned to the server core when asked and possible. */
export class ServerProcess {
  private nextId = 1;
  private readonly waiting = new Map<number, (answer: BenchAnswer) => void>();

  private constructor(
    private readonly child: ChildProcess,
    readonly url: string,
    readonly pinned: boolean,
  ) {
    child.on('message', (answer: BenchAnswer) => {
      if (answer.type === 'ready' || answer.id === undefined) return;
      this.waiting.get(answer.id)?.(answer);
      this.waiting.delete(answer.id);
    });
  }

  static async start(kind: ServerKind, options: { env?: Record<string, string>; pin: boolean }): Promise<ServerProcess> {
    const child = fork(scripts[kind], [], {
      execArgv: ['--expose-gc', '--import', 'tsx', ...profilingFlags()],
      env: { ...process.env, ...options.env },
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    const pinned = options.pin && child.pid !== undefined && pinToCore(child.pid, SERVER_CORE);
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`${kind} server did not start within ${START_TIMEOUT_MS} ms`)), START_TIMEOUT_MS);
      child.once('exit', (code) => reject(new Error(`${kind} server exited with code ${code} while starting`)));
      child.once('message', (answer: BenchAnswer) => {
        clearTimeout(timer);
        if (answer.type === 'ready') resolve(answer.url);
        else reject(new Error(`${kind} server failed to start: ${answer.type === 'failed' ? answer.error : answer.type}`));
      });
    }).catch((error: unknown) => {
      child.kill();
      throw error;
    });
    return new ServerProcess(child, url, pinned);
  }

  /** The server's memory after forced garbage collection. */
  async memory(): Promise<MemoryFigures> {
    const answer = await this.ask({ query: 'memory' });
    if (answer.type !== 'memory') throw new Error(`unexpected answer ${answer.type}`);
    return answer.memory;
  }

  /** CPU microseconds the server process has used so far. */
  cpuMicros(): Promise<number> {
    return this.askValue('cpu');
  }

  /** Rows in the server's messages table, read from its database; with `sentBefore`, only those sent before then. */
  async messageCount(sentBefore?: number): Promise<number> {
    const answer = await this.ask({ query: 'message-count', ...(sentBefore === undefined ? {} : { sentBefore }) });
    if (answer.type !== 'value') throw new Error(`unexpected answer ${answer.type}`);
    return answer.value;
  }

  /** Whether the server encrypts, and SQLite's `secure_delete`, set first to `secureDelete` when given. */
  async storage(secureDelete?: SecureDeleteMode): Promise<StorageFigures> {
    const answer = await this.ask({ query: 'storage', ...(secureDelete === undefined ? {} : { secureDelete }) });
    if (answer.type !== 'storage') throw new Error(`unexpected answer ${answer.type}`);
    return answer.storage;
  }

  /** How many stored message bodies are sealed, of how many: whether the server really encrypted what it stored. */
  async sealedBodies(): Promise<{ sealed: number; total: number }> {
    const answer = await this.ask({ query: 'sealed-bodies' });
    if (answer.type !== 'sealed-bodies') throw new Error(`unexpected answer ${answer.type}`);
    return { sealed: answer.sealed, total: answer.total };
  }

  /** Starts measuring the server's event-loop delay afresh. */
  async startLoopDelay(): Promise<void> {
    await this.ask({ query: 'loop-delay-start' });
  }

  /** The server's event-loop delay since `startLoopDelay`. */
  async stopLoopDelay(): Promise<LoopDelayFigures> {
    const answer = await this.ask({ query: 'loop-delay-stop' });
    if (answer.type !== 'loop-delay') throw new Error(`unexpected answer ${answer.type}`);
    return answer.loopDelay;
  }

  /** Asks the server to close (it closes its connections and storage), killing it if it takes too long. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.disconnect();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), STOP_TIMEOUT_MS);
    await exited;
    clearTimeout(timer);
  }

  private async askValue(query: 'cpu'): Promise<number> {
    const answer = await this.ask({ query });
    if (answer.type !== 'value') throw new Error(`unexpected answer ${answer.type}`);
    return answer.value;
  }

  private ask(question: DistributiveOmit<BenchQuery, 'id'>): Promise<BenchAnswer> {
    const id = this.nextId++;
    const { query } = question;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`server did not answer "${query}" within ${QUERY_TIMEOUT_MS} ms`));
      }, QUERY_TIMEOUT_MS);
      this.waiting.set(id, (answer) => {
        clearTimeout(timer);
        if (answer.type === 'failed') reject(new Error(`server could not answer "${query}": ${answer.error}`));
        else resolve(answer);
      });
      this.child.send({ ...question, id } as BenchQuery);
    });
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * With ENCLAVE_BENCH_PROFILE_DIR set, every server process writes a V8 CPU profile there when it exits (open it in
 * Chrome's DevTools): the way to see where a measured figure's time goes, on the same load.
 */
function profilingFlags(): string[] {
  const dir = process.env.ENCLAVE_BENCH_PROFILE_DIR;
  return dir ? ['--cpu-prof', `--cpu-prof-dir=${dir}`] : [];
}
