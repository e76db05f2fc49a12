import assert from 'node:assert/strict';
import { test } from 'node:test';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';

async function countMessages(server: ReturnType<Parameters<Parameters<typeof describeEachBackend>[1]>[0]>): Promise<number> {
  const row = await server.running.database.db.selectFrom('messages').select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow();
  return Number(row.n);
}

describeEachBackend('messages', (server) => {
  test('a member sends a message and it comes back in the history, newest first', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const first = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'first' } });
    const second = await bob.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'second 第二' } });
    assert.equal(first.message.roomId, room.id);
    assert.equal(first.message.senderId, alice.user.id);
    assert.ok(second.message.position > first.message.position);
    const history = await alice.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(history.messages.map((m) => m.text), ['second 第二', 'first']);
    assert.equal(history.hasMore, false);
  });

  test('pages through history with a before cursor without skipping or repeating', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    for (let i = 0; i < 7; i += 1) await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `m${i}` } });
    const seen: string[] = [];
    let before: string | undefined;
    for (;;) {
      const page = await alice.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 3, ...(before ? { before } : {}) } });
      seen.push(...page.messages.map((m) => m.text));
      if (!page.hasMore) break;
      before = page.messages.at(-1)!.id;
    }
    assert.deepEqual(seen, ['m6', 'm5', 'm4', 'm3', 'm2', 'm1', 'm0']);
  });

  test('a retried send with the same client id stores one message and returns it again', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const before = await countMessages(server());
    const body = { text: 'only once', clientId: 'retry-1' };
    const [a, b] = await Promise.all([
      alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body }),
      alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body }),
    ]);
    const c = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body });
    assert.equal(a.message.id, b.message.id);
    assert.equal(a.message.id, c.message.id);
    assert.equal(await countMessages(server()), before + 1);
  });

  test('refuses a client id already used in another room', async () => {
    const alice = await buildUser(server());
    const one = await buildRoom(server(), { owner: alice.client });
    const two = await buildRoom(server(), { owner: alice.client });
    await alice.client.endpoint('sendMessage')({ params: { roomId: one.id }, body: { text: 'x', clientId: 'shared-id' } });
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: two.id }, body: { text: 'y', clientId: 'shared-id' } }), 'CLIENT_ID_REUSED', 409);
  });

  test('thread replies stay out of the main timeline and list under their root', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const root = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'root' } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'reply', threadRootId: root.message.id } });
    const main = await alice.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.deepEqual(main.messages.map((m) => m.text), ['root']);
    const thread = await alice.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { threadRootId: root.message.id } });
    assert.deepEqual(thread.messages.map((m) => [m.text, m.threadRootId]), [['reply', root.message.id]]);
  });

  test('refuses a reply to a reply or to a message of another room', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const other = await buildRoom(server(), { owner: alice.client });
    const root = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'root' } });
    const reply = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'r', threadRootId: root.message.id } });
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'x', threadRootId: reply.message.id } }), 'THREAD_ROOT_INVALID', 400);
    await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: other.id }, body: { text: 'x', threadRootId: root.message.id } }), 'THREAD_ROOT_INVALID', 400);
  });

  test('a non-member gets the same answer as for a room that does not exist, for reads and writes', async () => {
    const alice = await buildUser(server());
    const mallory = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const before = await countMessages(server());
    const write = await rejectsWith(mallory.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'sneak' } }), 'ROOM_NOT_FOUND', 404);
    const read = await rejectsWith(mallory.client.endpoint('listMessages')({ params: { roomId: room.id } }), 'ROOM_NOT_FOUND', 404);
    const missing = await rejectsWith(mallory.client.endpoint('listMessages')({ params: { roomId: 'no-such-room' } }), 'ROOM_NOT_FOUND', 404);
    assert.equal(write.message, missing.message);
    assert.equal(read.message, missing.message);
    assert.equal(await countMessages(server()), before);
  });

  test('bad input gets a stable code, a translated message and writes nothing', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const url = `${server().url}/api/v1/rooms/${room.id}/messages`;
    const auth = { authorization: `Bearer ${alice.client.currentToken}`, 'content-type': 'application/json' };
    const before = await countMessages(server());
    const cases: { body: string; headers?: Record<string, string>; status: number; code: string }[] = [
      { body: '{"text": ', status: 400, code: 'MALFORMED_JSON' },
      { body: JSON.stringify({ text: 42 }), status: 400, code: 'VALIDATION_FAILED' },
      { body: JSON.stringify({ text: '   ' }), status: 400, code: 'VALIDATION_FAILED' },
      { body: JSON.stringify({ text: 'x'.repeat(10_001) }), status: 400, code: 'VALIDATION_FAILED' },
      { body: JSON.stringify({ text: 'x'.repeat(300_000) }), status: 413, code: 'BODY_TOO_LARGE' },
      { body: 'text=hi', headers: { 'content-type': 'application/x-www-form-urlencoded' }, status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
      { body: JSON.stringify({ text: 'hi' }), headers: { authorization: '' }, status: 401, code: 'UNAUTHENTICATED' },
    ];
    for (const c of cases) {
      const response = await fetch(url, { method: 'POST', headers: { ...auth, ...c.headers }, body: c.body });
      const payload = (await response.json()) as { error: { code: string; message: string } };
      assert.equal(response.status, c.status, `${c.code}: status`);
      assert.equal(payload.error.code, c.code);
      assert.ok(payload.error.message.length > 0);
      assert.doesNotMatch(JSON.stringify(payload), /at .*\.ts:\d+/, 'no stack trace');
    }
    const chinese = await fetch(url, { method: 'POST', headers: { ...auth, 'accept-language': 'zh-CN,zh;q=0.9' }, body: '{' });
    assert.equal(((await chinese.json()) as { error: { message: string } }).error.message, '请求内容不是有效的 JSON。');
    assert.equal(await countMessages(server()), before);
  });

  test('validation errors name the failing field', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const error = await rejectsWith(alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'x', clientId: '' } }), 'VALIDATION_FAILED');
    assert.deepEqual((error.data?.issues as { path: string }[]).map((i) => i.path), ['clientId']);
  });
});
