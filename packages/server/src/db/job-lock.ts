import { sql, type Kysely } from 'kysely';
import type { DialectName } from './database';
import type { Database } from './schema';

/**
 * Runs a job on one node at a time across every node sharing the database: on PostgreSQL under a session advisory
 * lock named for the job, taken on one connection held for the job's length, so a second node asking waits until
 * the first is done, and a node that dies mid-job loses its connection and with it the lock, letting a waiting or
 * later node run the job to its end. On SQLite there is one node, and the job runs at once.
 */
export async function runAlone<T>(db: Kysely<Database>, dialect: DialectName, job: string, work: () => Promise<T>): Promise<T> {
  if (dialect === 'sqlite') return work();
  return db.connection().execute(async (connection) => {
    const name = `enclave:${job}`;
    await sql`select pg_advisory_lock(hashtext(${name}))`.execute(connection);
    try {
      return await work();
    } finally {
      // A failed unlock leaves the lock to the connection's end; the pool closes connections it cannot use.
      await sql`select pg_advisory_unlock(hashtext(${name}))`.execute(connection).catch(() => undefined);
    }
  });
}
