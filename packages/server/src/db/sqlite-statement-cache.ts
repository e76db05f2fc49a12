import type BetterSqlite3 from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';

/** Distinct statements kept per connection: every query text the server runs, with room for the odd one-off. */
export const STATEMENT_CACHE_CAPACITY = 500;
/**
 * Longer texts are bulk writes of many rows (`insert … values (?, …), (?, …), …`): their row count, and so their
 * text, rarely repeats, their compiled program is large, and preparing one is small next to running it.
 */
export const STATEMENT_CACHE_MAX_SQL_LENGTH = 8_000;

/**
 * better-sqlite3 as Kysely's `SqliteDialect` sees it, with the statements it prepares kept for reuse. Kysely's
 * SQLite driver prepares every query anew (`database.prepare(sql)` on each execution), which at a history page's
 * few queries was about a seventh of the request's CPU; SQLite's own advice is to prepare once and run many times.
 *
 * Keyed by the SQL text, whose parameters are placeholders, so one entry serves every value; least recently used
 * entries go first once `capacity` is reached. Reuse is safe across schema changes: SQLite recompiles a prepared
 * statement by itself when the schema it was compiled against changed (better-sqlite3 prepares with
 * `sqlite3_prepare_v3`). Whether a statement returns rows (`reader`, which decides between Kysely's `all` and
 * `run`) depends on the text alone. A statement that is still iterating (Kysely's `stream()`) cannot run again
 * until it finishes, so a second use meanwhile gets a statement of its own.
 */
export class StatementCachingDatabase implements SqliteDatabase {
  private readonly statements = new Map<string, CachedStatement>();
  private readonly schemaVersionStatement: BetterSqlite3.Statement;

  constructor(
    private readonly database: BetterSqlite3.Database,
    private readonly capacity = STATEMENT_CACHE_CAPACITY,
  ) {
    this.schemaVersionStatement = database.prepare('PRAGMA schema_version').pluck();
  }

  prepare(sql: string): SqliteStatement {
    const cached = this.statements.get(sql);
    if (cached && !cached.busy) {
      // Map keeps insertion order: moving a hit to the end makes the first key the least recently used.
      this.statements.delete(sql);
      this.statements.set(sql, cached);
      return cached;
    }
    const statement = new CachedStatement(this.database.prepare(sql), () => this.schemaVersionStatement.get() as number);
    if (!cached && sql.length <= STATEMENT_CACHE_MAX_SQL_LENGTH) {
      this.statements.set(sql, statement);
      if (this.statements.size > this.capacity) this.statements.delete(this.statements.keys().next().value!);
    }
    return statement;
  }

  /** Kysely's driver closes the database when the Kysely instance is destroyed; the statements go with it. */
  close(): void {
    this.statements.clear();
    this.database.close();
  }
}

/**
 * One prepared statement. Rows are read as arrays and made into objects here with the statement's column names:
 * better-sqlite3 builds each row object through V8's API one property at a time, which for a page of fifty
 * messages was about 40 % of the query's CPU; the same objects built in JavaScript cost a third as much.
 *
 * The names are read once and again only after the schema changed (`PRAGMA schema_version`, a few microseconds):
 * SQLite recompiles the statement then, and `select *` may have gained, lost or reordered columns. The version is
 * read before the run, so a change made by another connection in between is caught at the next run at the latest.
 */
class CachedStatement implements SqliteStatement {
  readonly reader: boolean;
  private columns: readonly string[] = [];
  private columnsSchemaVersion = -1;

  constructor(
    private readonly statement: BetterSqlite3.Statement,
    private readonly schemaVersion: () => number,
  ) {
    this.reader = statement.reader;
    if (this.reader) statement.raw(true);
  }

  get busy(): boolean {
    return this.statement.busy;
  }

  all(parameters: readonly unknown[]): unknown[] {
    const version = this.schemaVersion();
    const rows = this.statement.all(parameters) as unknown[][];
    this.refreshColumns(version);
    const objects = new Array<Record<string, unknown>>(rows.length);
    for (let i = 0; i < rows.length; i += 1) objects[i] = this.toObject(rows[i]!);
    return objects;
  }

  run(parameters: readonly unknown[]): { changes: number | bigint; lastInsertRowid: number | bigint } {
    return this.statement.run(parameters);
  }

  *iterate(parameters: readonly unknown[]): IterableIterator<unknown> {
    const version = this.schemaVersion();
    let refreshed = false;
    for (const row of this.statement.iterate(parameters) as IterableIterator<unknown[]>) {
      if (!refreshed) this.refreshColumns(version);
      refreshed = true;
      yield this.toObject(row);
    }
  }

  private refreshColumns(version: number): void {
    if (version === this.columnsSchemaVersion) return;
    this.columns = this.statement.columns().map((column) => column.name);
    this.columnsSchemaVersion = version;
  }

  /** The same object better-sqlite3 builds: the columns assigned in order, so a later duplicate name wins. */
  private toObject(row: readonly unknown[]): Record<string, unknown> {
    const object: Record<string, unknown> = {};
    const columns = this.columns;
    for (let i = 0; i < columns.length; i += 1) object[columns[i]!] = row[i];
    return object;
  }
}
