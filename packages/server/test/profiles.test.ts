import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';
import { buildUser } from '@enclave/testkit';

/** The smallest valid PNG: one transparent pixel. */
const PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';

describeEachBackend('profiles', (server) => {
  test('a person changes their display name, avatar, language and time zone', async () => {
    const alice = await buildUser(server());
    const avatar = `data:image/png;base64,${PNG}`;
    const { user } = await alice.client.endpoint('updateMyProfile')({ body: { displayName: 'Alice 张', avatar, locale: 'zh-CN', timeZone: 'Asia/Shanghai' } });
    assert.deepEqual([user.displayName, user.avatar, user.locale, user.timeZone], ['Alice 张', avatar, 'zh-CN', 'Asia/Shanghai']);
    assert.deepEqual((await alice.client.endpoint('me')()).user, user);
    const row = await server().running.database.db.selectFrom('users').select(['avatar', 'locale', 'time_zone']).where('id', '=', alice.user.id).executeTakeFirstOrThrow();
    assert.deepEqual(row, { avatar, locale: 'zh-CN', time_zone: 'Asia/Shanghai' });
    const cleared = await alice.client.endpoint('updateMyProfile')({ body: { avatar: null, timeZone: null } });
    assert.deepEqual([cleared.user.avatar, cleared.user.timeZone, cleared.user.locale], [null, null, 'zh-CN']);
  });

  test('new users start with defaults and no departments', async () => {
    const bob = await buildUser(server());
    assert.deepEqual(
      { avatar: bob.user.avatar, locale: bob.user.locale, timeZone: bob.user.timeZone, disabled: bob.user.disabled, departmentIds: bob.user.departmentIds },
      { avatar: null, locale: null, timeZone: null, disabled: false, departmentIds: [] },
    );
  });

  test('refuses an unknown time zone and language', async () => {
    const alice = await buildUser(server());
    const zone = await rejectsWith(alice.client.endpoint('updateMyProfile')({ body: { timeZone: 'Mars/Olympus_Mons' } }), 'VALIDATION_FAILED', 400);
    assert.deepEqual((zone.data?.issues as { path: string }[]).map((i) => i.path), ['timeZone']);
    await rejectsWith(alice.client.endpoint('updateMyProfile')({ body: { locale: 'fr' as 'en' } }), 'VALIDATION_FAILED', 400);
    await rejectsWith(alice.client.endpoint('updateMyProfile')({ body: {} }), 'VALIDATION_FAILED', 400);
  });

  test('refuses an avatar whose bytes are not the declared image type', async () => {
    const alice = await buildUser(server());
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00\x00\x00\x00;', 'latin1').toString('base64');
    for (const avatar of [`data:image/png;base64,${gif}`, `data:image/jpeg;base64,${PNG}`, `data:image/svg+xml;base64,${PNG}`, 'https://example.com/me.png']) {
      const error = await rejectsWith(alice.client.endpoint('updateMyProfile')({ body: { avatar } }), 'VALIDATION_FAILED', 400);
      assert.deepEqual((error.data?.issues as { path: string }[]).map((i) => i.path), ['avatar'], avatar.slice(0, 30));
    }
  });

  test('refuses an avatar above 64 kB decoded', async () => {
    const alice = await buildUser(server());
    const big = Buffer.concat([Buffer.from(PNG, 'base64'), Buffer.alloc(64 * 1024)]).toString('base64');
    await rejectsWith(alice.client.endpoint('updateMyProfile')({ body: { avatar: `data:image/png;base64,${big}` } }), 'VALIDATION_FAILED', 400);
  });

  test('a profile change is audited without the picture', async () => {
    const alice = await buildUser(server());
    await alice.client.endpoint('updateMyProfile')({ body: { avatar: `data:image/png;base64,${PNG}`, locale: 'en' } });
    const entry = await server().running.database.db
      .selectFrom('audit_log')
      .select('data')
      .where('action', '=', 'user.profile_updated')
      .where('target_id', '=', alice.user.id)
      .executeTakeFirstOrThrow();
    assert.deepEqual(JSON.parse(entry.data), { fields: ['avatar', 'locale'] });
  });
});
