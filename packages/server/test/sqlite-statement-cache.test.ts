import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { StatementCachingDatabase } from '../src/db/sqlite-statement-cache';

interface Tables {
  notes: { id: number; title: string; body: string | null };
}

let dir: string;

before(() => {
  dir = mkdtempSync(path.join(tmpdir(), 'enclave-statement-cache-'));
});

after(() => {
  rmSync(dir, { recursive: true, force: true });
});

/** A file database with a `notes` table, its connection with `prepare` counted, and Kysely over the cache. */
function openNotes(name: string, capacity?: number) {
  const file = path.join(dir, `${name}.db`);
  const sqlite = new SqliteDatabase(file);
  sqlite.exec('create table notes (id integer primary key, title text not null, body text)');
  const prepared: string[] = [];
  const prepare = sqlite.prepare.bind(sqlite);
  // Counting the statements better-sqlite3 compiles is the only way to see reuse from outside.
  sqlite.prepare = ((text: string) => {
    prepared.push(text);
    return prepare(text);
  }) as typeof sqlite.prepare;
  const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: new StatementCachingDatabase(sqlite, capacity) }) });
  prepared.length = 0;
  return { db, sqlite, file, prepared };
}

const titleOf = (db: Kysely<Tables>, id: number) => db.selectFrom('notes').select('title').where('id', '=', id).executeTakeFirst();

describe('SQLite statement cache', () => {
  test('runs the same query with other values on the statement it prepared the first time', async () => {
    const { db, prepared } = openNotes('reuse');
    try {
      await db.insertInto('notes').values({ id: 1, title: 'one', body: null }).execute();
      await db.insertInto('notes').values({ id: 2, title: 'two', body: null }).execute();
      assert.deepEqual(await titleOf(db, 1), { title: 'one' });
      assert.deepEqual(await titleOf(db, 2), { title: 'two' });
      assert.equal(prepared.filter((text) => text.startsWith('select')).length, 1);
      assert.equal(prepared.filter((text) => text.startsWith('insert')).length, 1);
    } finally {
      await db.destroy();
    }
  });

  test('keeps at most its capacity of statements, dropping the least recently used first', async () => {
    const { db, prepared } = openNotes('bounded', 2);
    try {
      const byTitle = () => db.selectFrom('notes').select('id').where('title', '=', 'x').execute();
      const byBody = () => db.selectFrom('notes').select('id').where('body', '=', 'x').execute();
      await titleOf(db, 1);
      await byTitle();
      await titleOf(db, 1); // now the most recently used
      await byBody(); // a third statement: the byTitle one goes
      prepared.length = 0;
      await titleOf(db, 1);
      await byBody();
      assert.deepEqual(prepared, [], 'the two most recently used are still prepared');
      await byTitle();
      assert.equal(prepared.length, 1, 'the least recently used was dropped and is prepared again');
    } finally {
      await db.destroy();
    }
  });

  test('answers reads and writes exactly as Kysely over plain better-sqlite3 does', async () => {
    const cached = openNotes('cached');
    const plainSqlite = new SqliteDatabase(path.join(dir, 'plain.db'));
    plainSqlite.exec('create table notes (id integer primary key, title text not null, body text)');
    const plain = new Kysely<Tables>({ dialect: new SqliteDialect({ database: plainSqlite }) });
    const run = async (db: Kysely<Tables>) => {
      const results: unknown[] = [];
      for (let round = 0; round < 2; round += 1) {
        const base = round * 10;
        results.push(await db.insertInto('notes').values({ id: base + 1, title: 'a', body: 'x' }).executeTakeFirst());
        results.push(await db.insertInto('notes').values({ id: base + 2, title: 'b', body: null }).returning(['id', 'title']).execute());
        results.push(await db.updateTable('notes').set({ body: 'y' }).where('id', '>', base).executeTakeFirst());
        results.push(await db.selectFrom('notes').selectAll().orderBy('id').execute());
        results.push(await db.selectFrom('notes').select(['title', 'body']).where('id', '=', -1).execute());
        results.push(await sql`select 1 as "same", 2 as "same", 'v' as "__proto__"`.execute(db));
        results.push(await db.deleteFrom('notes').where('id', '=', base + 1).executeTakeFirst());
      }
      return results;
    };
    try {
      assert.deepEqual(await run(cached.db), await run(plain));
    } finally {
      await cached.db.destroy();
      await plain.destroy();
    }
  });

  test('a cached select * follows the columns after the schema changes, on this connection or another', async () => {
    const { db, file } = openNotes('schema');
    const all = () => sql<Record<string, unknown>>`select * from notes`.execute(db).then((result) => result.rows);
    try {
      await db.insertInto('notes').values({ id: 1, title: 'one', body: 'b' }).execute();
      assert.deepEqual(await all(), [{ id: 1, title: 'one', body: 'b' }]);
      await sql`alter table notes add column pinned integer default 0`.execute(db);
      assert.deepEqual(await all(), [{ id: 1, title: 'one', body: 'b', pinned: 0 }]);
      await sql`alter table notes rename column title to heading`.execute(db);
      assert.deepEqual(await all(), [{ id: 1, heading: 'one', body: 'b', pinned: 0 }]);
      // The same columns in another order, as a table rebuild by a migration may leave them.
      const other = new SqliteDatabase(file);
      try {
        other.exec(`
          create table notes_new (body text, pinned integer, id integer primary key, heading text not null);
          insert into notes_new select body, pinned, id, heading from notes;
          drop table notes;
          alter table notes_new rename to notes;`);
      } finally {
        other.close();
      }
      assert.deepEqual(await all(), [{ body: 'b', pinned: 0, id: 1, heading: 'one' }]);
    } finally {
      await db.destroy();
    }
  });

  test('a statement still being iterated is not handed out again', () => {
    const sqlite = new SqliteDatabase(':memory:');
    const cache = new StatementCachingDatabase(sqlite);
    try {
      sqlite.exec('create table numbers (n integer); insert into numbers values (1), (2), (3);');
      const text = 'select n from numbers order by n';
      const first = cache.prepare(text);
      const iterator = first.iterate([]);
      assert.deepEqual(iterator.next().value, { n: 1 });
      const second = cache.prepare(text);
      assert.notEqual(second, first);
      assert.deepEqual(second.all([]), [{ n: 1 }, { n: 2 }, { n: 3 }]);
      assert.deepEqual([...iterator], [{ n: 2 }, { n: 3 }]);
      assert.equal(cache.prepare(text), first, 'once finished, the cached statement is used again');
    } finally {
      cache.close();
    }
    assert.equal(sqlite.open, false, 'closing the cache closes the connection');
  });
});
