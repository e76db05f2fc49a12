// The Enclave server process of the bench: the real server started with `startServer`, configured from the
// environment the load generator passes (data directory, admin password, hash cost), plus answers about its own
// memory, CPU and stored messages over the IPC channel.
import { loadConfig, startServer } from '@enclave/server';
import { cpuMicros, measureMemory, serveQueries, type BenchAnswer } from './bench-ipc';

try {
  const running = await startServer(loadConfig(process.env, { port: 0, host: '127.0.0.1' }));
  serveQueries(async (query): Promise<BenchAnswer> => {
    switch (query.query) {
      case 'memory':
        return { type: 'memory', id: query.id, memory: measureMemory() };
      case 'cpu':
        return { type: 'value', id: query.id, value: cpuMicros() };
      case 'message-count': {
        const row = await running.database.db
          .selectFrom('messages')
          .select((eb) => eb.fn.countAll<number | string>().as('count'))
          .executeTakeFirstOrThrow();
        return { type: 'value', id: query.id, value: Number(row.count) };
      }
    }
  }, running.close);
  process.send?.({ type: 'ready', url: running.url } satisfies BenchAnswer);
} catch (error) {
  process.send?.({ type: 'failed', error: String(error) } satisfies BenchAnswer);
  process.exit(1);
}
