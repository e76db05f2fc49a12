import { mkdirSync } from 'node:fs';
import path from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, Migrator, PostgresDialect, SqliteDialect, type LogEvent } from 'kysely';
import pg from 'pg';
import type { Database } from './schema';
import { migrations } from './migrations/index';
import { StatementCachingDatabase } from './sqlite-statement-cache';
import { WalCheckpoints } from './wal-checkpoints';

export type DialectName = 'sqlite' | 'postgres';

export interface DatabaseHandle {
  db: Kysely<Database>;
  dialect: DialectName;
  /** Where the data lives, for messages to the operator; never contains a password. */
  description: string;
  /**
   * How many statements this handle has run. Hot paths are held to a number of queries per request by tests
   * (style rule 14), so an N+1 shows up as a failing test rather than as a slow day in production.
   */
  queries: { count: number };
  /** PostgreSQL's connection pool, for the metrics' counts of busy, idle and waiting; SQLite has none. */
  pool?: Pick<pg.Pool, 'totalCount' | 'idleCount' | 'waitingCount'>;
  /** SQLite only: its write-ahead log's checkpoints, which run on a thread of their own (wal-checkpoints.ts). */
  wal?: WalCheckpoints;
  /** Closes the database and, on SQLite, waits for the checkpoint thread to close its connection too. */
  close(): Promise<void>;
}

const INT8_OID = 20;

/** Opens SQLite in the data directory, or PostgreSQL when a URL is given. */
export function openDatabase(
  options: { dataDir: string; databaseUrl?: string | undefined },
  onIdleError: (error: Error) => void = (error) => console.error(`database connection lost: ${error.message}`),
): DatabaseHandle {
  if (options.databaseUrl) {
    const url = new URL(options.databaseUrl);
    const pool = new pg.Pool({
      connectionString: options.databaseUrl,
      max: 10,
      // Positions and times are bigint columns; they stay far below 2^53, so plain numbers are exact.
      types: { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === INT8_OID ? Number : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig,
    });
    // An idle connection that dies (database restart, administrator kill) must not take the process down; the
    // pool replaces it on the next query. The same holds for one checked out between queries (a job holding its
    // lock, db/job-lock.ts): pg reports its end as an event nobody awaits, and its next query fails instead.
    pool.on('error', (error) => onIdleError(error));
    pool.on('connect', (client) => client.on('error', (error) => onIdleError(error)));
    const queries = { count: 0 };
    const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }), log: countQueries(queries) });
    return { db, dialect: 'postgres', description: `PostgreSQL at ${url.hostname}:${url.port || 5432}${url.pathname}`, queries, pool, close: () => db.destroy() };
  }
  mkdirSync(options.dataDir, { recursive: true });
  const file = path.join(options.dataDir, 'enclave.db');
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  // Deleted rows are overwritten with zeros in the main file as they go, instead of lingering in free pages until
  // reused (crypto-shredding makes what lingers unreadable; this makes it absent). The write-ahead log is emptied
  // after a deletion (db/reclaim.ts).
  sqlite.pragma('secure_delete = ON');
  const queries = { count: 0 };
  const statements = new StatementCachingDatabase(sqlite);
  // Kysely closes the connection when the instance is destroyed; the checkpoint thread stops with it, so that no
  // caller of `db.destroy()` leaves a thread behind (`close` also waits for it).
  const db = new Kysely<Database>({
    dialect: new SqliteDialect({
      database: {
        prepare: (query) => statements.prepare(query),
        close: () => {
          statements.close();
          void wal.close();
        },
      },
    }),
    log: countQueries(queries),
  });
  // Holding Kysely's one connection keeps every query of the server out while the log is emptied.
  const wal = new WalCheckpoints(sqlite, (task) => db.connection().execute(() => task()));
  const close = async () => {
    await db.destroy();
    await wal.close();
  };
  return { db, dialect: 'sqlite', description: `SQLite at ${file}`, queries, wal, close };
}

function countQueries(queries: { count: number }): (event: LogEvent) => void {
  return (event) => {
    if (event.level === 'query') queries.count += 1;
  };
}

/** Brings the schema up to date; runs at every start and is a no-op when nothing is pending. */
export async function migrateToLatest(db: Kysely<Database>): Promise<void> {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`Database migration ${failed} failed: ${(error as Error).message}`);
  }
}
