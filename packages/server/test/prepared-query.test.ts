import assert from 'node:assert/strict';
import { test } from 'node:test';
import { preparedQuery, type Param } from '../src/db/prepared-query';
import { describeEachBackend } from './harness';

describeEachBackend('prepared queries', (server) => {
  test('a prepared query takes new values each run, keeps its constants, and is built once per database', async () => {
    const db = server().running.database.db;
    let builds = 0;
    const labelsFrom = preparedQuery((db, param: Param<{ rank: number; limit: number }>) => {
      builds += 1;
      return db.selectFrom('labels').select(['id', 'rank']).where('rank', '>=', param('rank')).where('id', '<>', 'secret').orderBy('rank').limit(param('limit'));
    });
    const unprepared = (rank: number, limit: number) => db.selectFrom('labels').select(['id', 'rank']).where('rank', '>=', rank).where('id', '<>', 'secret').orderBy('rank').limit(limit).execute();

    const all = await labelsFrom.execute(db, { rank: 0, limit: 10 });
    assert.ok(all.length >= 3 && !all.some((label) => label.id === 'secret'), 'the constant still excludes the secret label');
    assert.deepEqual(all, await unprepared(0, 10));
    const higher = await labelsFrom.execute(db, { rank: all[1]!.rank, limit: 1 });
    assert.deepEqual(higher, await unprepared(all[1]!.rank, 1), 'both values changed in the same prepared query');
    assert.equal(await labelsFrom.executeTakeFirst(db, { rank: 1_000_000, limit: 1 }), undefined);
    assert.equal(builds, 1, 'three runs, one build');

    // A transaction is another Kysely instance: it builds its own plan, and sees its own uncommitted rows.
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto('labels').values({ id: 'draft-label', rank: 999_999, name_en: 'Draft', name_zh: '草稿', colour: '#000000', created_at: Date.now() }).execute();
        assert.deepEqual(await labelsFrom.execute(trx, { rank: 999_999, limit: 1 }), [{ id: 'draft-label', rank: 999_999 }]);
        throw new Error('roll back');
      })
      .catch((error: unknown) => assert.equal((error as Error).message, 'roll back'));
    assert.equal(builds, 2);
    assert.equal(await labelsFrom.executeTakeFirst(db, { rank: 999_999, limit: 1 }), undefined, 'the rolled-back row is gone');
  });
});
