import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { after, before, describe, test } from 'node:test';
import SqliteDatabase from 'better-sqlite3';
import { sql } from 'kysely';
import { openDatabase, type DatabaseHandle } from '../src/db/database';
import { RESTART_AT_FRAMES } from '../src/db/wal-checkpoints';

let root: string;

before(() => {
  root = mkdtempSync(path.join(tmpdir(), 'enclave-wal-'));
});

after(() => {
  rmSync(root, { recursive: true, force: true });
});

/** A fresh SQLite installation's database with a scratch table, as the server opens it. */
async function openScratch(name: string): Promise<{ database: DatabaseHandle; file: string }> {
  const database = openDatabase({ dataDir: path.join(root, name) });
  await sql`create table scratch (id integer primary key, body blob not null)`.execute(database.db);
  return { database, file: path.join(root, name, 'enclave.db') };
}

/**
 * Rows of about one page each, so that `pages` of them write about that many pages to the log, 500 to a transaction
 * and a turn of the event loop between transactions, as a server's writes come (from requests, or a purge's batches).
 */
async function writePages(database: DatabaseHandle, pages: number, body = (index: number) => Buffer.alloc(3_000, index % 251)): Promise<void> {
  for (let start = 0; start < pages; start += 500) {
    await new Promise((resolve) => setImmediate(resolve));
    await database.db.transaction().execute(async (trx) => {
      for (let index = start; index < Math.min(pages, start + 500); index++) await sql`insert into scratch (body) values (${body(index)})`.execute(trx);
    });
  }
}

/**
 * The log's length in pages, read from the wal-index header in the `-shm` file (`mxFrame`, at byte 16 in the
 * machine's byte order: sqlite.org/walformat.html), so that looking does not checkpoint anything itself.
 */
const logFrames = (file: string) => readFileSync(`${file}-shm`).readUInt32LE(16);

const logBytes = (file: string) => (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);

/** Waits, without a deadline of its own (the test runner's is the bound), for the log to be emptied by the thread. */
async function untilLogIsEmpty(file: string): Promise<void> {
  while (logBytes(file) > 0) await sleep(50);
}

describe('SQLite checkpoints on their own thread', () => {
  test('the main connection never checkpoints by itself; the thread copies the log and starts it over once it is long', async () => {
    const { database, file } = await openScratch('grown');
    try {
      const { rows } = await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(database.db);
      assert.deepEqual(rows, [{ wal_autocheckpoint: 0 }]);
      // Writes one after the other give SQLite no moment to start the log over by itself.
      let longest = 0;
      for (let round = 0; round < 6; round++) {
        await writePages(database, RESTART_AT_FRAMES / 2);
        longest = Math.max(longest, logFrames(file));
      }
      assert.ok(longest < 2 * RESTART_AT_FRAMES, `the log grew to ${longest} pages, for ${3 * RESTART_AT_FRAMES} written`);
      const { rows: counted } = await sql<{ n: number }>`select count(*) as n from scratch`.execute(database.db);
      assert.equal(counted[0]!.n, 3 * RESTART_AT_FRAMES, 'everything committed is in the database');
    } finally {
      await database.close();
    }
  });

  test('emptying after a deletion leaves the deleted bytes in neither the database nor its log', async () => {
    const { database, file } = await openScratch('deleted');
    const marker = Buffer.from('zq-deleted-marker-7f3a');
    try {
      await writePages(database, 50, () => Buffer.concat([marker, Buffer.alloc(2_000, 1)]));
      await sql`delete from scratch`.execute(database.db);
      assert.equal(await database.wal!.empty(), true);
      assert.equal(logBytes(file), 0, 'the log is empty');
      assert.equal(readFileSync(file).indexOf(marker), -1, 'secure_delete zeroed the rows in the database');
    } finally {
      await database.close();
    }
  });

  test("an emptying held up by another connection's reader is tried again until the log is empty", async () => {
    const { database, file } = await openScratch('held-up');
    const reader = new SqliteDatabase(file, { fileMustExist: true });
    try {
      await writePages(database, 20);
      // A read transaction pins the snapshot it began on, as a backup's VACUUM INTO does while it copies.
      reader.exec('begin');
      reader.prepare('select count(*) from scratch').get();
      await writePages(database, 20);
      assert.equal(await database.wal!.empty(), false, 'the reader keeps the log from being emptied');
      reader.exec('commit');
      await untilLogIsEmpty(file);
    } finally {
      reader.close();
      await database.close();
    }
  });

  test('closing closes the thread’s connection too: the last one to close removes the log', async () => {
    const { database, file } = await openScratch('closed');
    await writePages(database, 20);
    await database.close();
    assert.equal(existsSync(`${file}-wal`), false);
  });
});
