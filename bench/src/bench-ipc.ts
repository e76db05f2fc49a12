/**
 * What the bench's server processes and the load generator say to each other over the Node IPC channel. This
 * is bench plumbing, not Enclave's wire protocol: it only asks a server process about itself.
 */

export interface MemoryFigures {
  rss: number;
  heapUsed: number;
  external: number;
}

export type BenchQuery =
  | { id: number; query: 'memory' }
  | { id: number; query: 'cpu' }
  /** Rows in the messages table; with `sentBefore` (ms since the epoch), only those sent before then. */
  | { id: number; query: 'message-count'; sentBefore?: number }
  /** How the server stores content: whether it encrypts, and SQLite's `secure_delete` (set first when `secureDelete` is given). */
  | { id: number; query: 'storage'; secureDelete?: SecureDeleteMode }
  /** How many stored message bodies are sealed (encrypted at rest), of how many. */
  | { id: number; query: 'sealed-bodies' }
  /** Starts a fresh event-loop delay monitor (perf_hooks), or stops it and answers what it saw. */
  | { id: number; query: 'loop-delay-start' }
  | { id: number; query: 'loop-delay-stop' };

/** SQLite's `PRAGMA secure_delete`: 0, 1 or 2 (FAST: overwrites only what costs no extra I/O). */
export type SecureDeleteMode = 'off' | 'on' | 'fast';

/** The server's event-loop delay over one measured stretch: how long timers waited past their time. */
export interface LoopDelayFigures {
  samples: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

/** What `storage` answers: the server's content storage as configured and as the database reports it. */
export interface StorageFigures {
  encrypting: boolean;
  /** `PRAGMA secure_delete` on the server's SQLite connection; null on PostgreSQL. */
  secureDelete: SecureDeleteMode | null;
}

export type BenchAnswer =
  | { type: 'ready'; url: string }
  | { type: 'failed'; id?: number; error: string }
  | { type: 'memory'; id: number; memory: MemoryFigures }
  | { type: 'storage'; id: number; storage: StorageFigures }
  | { type: 'sealed-bodies'; id: number; sealed: number; total: number }
  | { type: 'loop-delay'; id: number; loopDelay: LoopDelayFigures }
  /** A CPU time in microseconds, or a row count. */
  | { type: 'value'; id: number; value: number };

/** Memory after two forced collections (the second lets finalisers and weak references settle); needs --expose-gc. */
export function measureMemory(): MemoryFigures {
  const collect = (globalThis as { gc?: () => void }).gc;
  if (!collect) throw new Error('run the server process with --expose-gc');
  collect();
  collect();
  const { rss, heapUsed, external } = process.memoryUsage();
  return { rss, heapUsed, external };
}

/** Microseconds of CPU (user + system) this process has used so far. */
export function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}

/** Answers the parent's queries; the process leaves as soon as its parent goes away, so none is ever left behind. */
export function serveQueries(answer: (query: BenchQuery) => Promise<BenchAnswer>, stop: () => Promise<void>): void {
  process.on('message', (query: BenchQuery) => {
    answer(query).then(
      (reply) => process.send?.(reply),
      (error: unknown) => process.send?.({ type: 'failed', id: query.id, error: String(error) } satisfies BenchAnswer),
    );
  });
  process.on('disconnect', () => {
    void stop().finally(() => process.exit(0));
  });
}
