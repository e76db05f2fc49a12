// The Enclave server process of the bench: the real server started with `startServer`, configured from the
// environment the load generator passes (data directory, admin password, hash cost, encryption on or off), plus
// answers about its own memory, CPU, stored messages and content storage over the IPC channel.
import { loadConfig, SEALED_PREFIX, startServer, type RunningServer } from '@enclave/server';
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';
import { sql } from 'kysely';
import { cpuMicros, measureMemory, serveQueries, type BenchAnswer, type LoopDelayFigures, type SecureDeleteMode, type StorageFigures } from './bench-ipc';

// Node samples the delay every 10 ms; a fresh monitor per stretch, since a re-enabled one counts the pause between.
const LOOP_DELAY_RESOLUTION_MS = 10;
let loopDelay: IntervalHistogram | undefined;

try {
  const running = await startServer(loadConfig(process.env, { port: 0, host: '127.0.0.1' }));
  serveQueries(async (query): Promise<BenchAnswer> => {
    switch (query.query) {
      case 'memory':
        return { type: 'memory', id: query.id, memory: measureMemory() };
      case 'cpu':
        return { type: 'value', id: query.id, value: cpuMicros() };
      case 'message-count': {
        let counting = running.database.db.selectFrom('messages').select((eb) => eb.fn.countAll<number | string>().as('count'));
        if (query.sentBefore !== undefined) counting = counting.where('created_at', '<', query.sentBefore);
        const row = await counting.executeTakeFirstOrThrow();
        return { type: 'value', id: query.id, value: Number(row.count) };
      }
      case 'storage':
        return { type: 'storage', id: query.id, storage: await storage(running, query.secureDelete) };
      case 'sealed-bodies': {
        // A scan of the body column, in SQL: the sealed prefix is all it reads of each body.
        const row = await sql<{ sealed: number | string | null; total: number | string }>`
          SELECT SUM(CASE WHEN substr(body, 1, ${SEALED_PREFIX.length}) = ${SEALED_PREFIX} THEN 1 ELSE 0 END) AS sealed, COUNT(*) AS total FROM messages
        `.execute(running.database.db);
        const { sealed, total } = row.rows[0]!;
        return { type: 'sealed-bodies', id: query.id, sealed: Number(sealed ?? 0), total: Number(total) };
      }
      case 'loop-delay-start':
        loopDelay?.disable();
        loopDelay = monitorEventLoopDelay({ resolution: LOOP_DELAY_RESOLUTION_MS });
        loopDelay.enable();
        return { type: 'value', id: query.id, value: 0 };
      case 'loop-delay-stop':
        if (!loopDelay) throw new Error('no event-loop delay monitor was started');
        loopDelay.disable();
        return { type: 'loop-delay', id: query.id, loopDelay: loopDelayFigures(loopDelay) };
    }
  }, running.close);
  process.send?.({ type: 'ready', url: running.url } satisfies BenchAnswer);
} catch (error) {
  process.send?.({ type: 'failed', error: String(error) } satisfies BenchAnswer);
  process.exit(1);
}

/**
 * Whether the server encrypts, and SQLite's `secure_delete` on its one connection: set first when asked, so the
 * bench can compare deleting with it on and off on the same server and data, whatever the server's own default.
 */
async function storage(running: RunningServer, secureDelete: SecureDeleteMode | undefined): Promise<StorageFigures> {
  const encrypting = running.services.keys.encrypting;
  if (running.database.dialect !== 'sqlite') return { encrypting, secureDelete: null };
  const { db } = running.database;
  if (secureDelete !== undefined) await sql.raw(`PRAGMA secure_delete = ${secureDelete.toUpperCase()}`).execute(db);
  const { rows } = await sql<{ secure_delete: number }>`PRAGMA secure_delete`.execute(db);
  const modes: SecureDeleteMode[] = ['off', 'on', 'fast'];
  return { encrypting, secureDelete: modes[Number(rows[0]?.secure_delete)] ?? null };
}

/** Node records each sample as the whole time between ticks; the delay is what exceeds the resolution. */
function loopDelayFigures(histogram: IntervalHistogram): LoopDelayFigures {
  const ms = (nanoseconds: number) => Math.max(0, nanoseconds / 1e6 - LOOP_DELAY_RESOLUTION_MS);
  return { samples: histogram.count, p50Ms: ms(histogram.percentile(50)), p99Ms: ms(histogram.percentile(99)), maxMs: ms(histogram.max) };
}
