import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PROTOCOL_VERSION, streamCloseCodes, type ServerFrame } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import WebSocket from 'ws';
import { buildApp, loadConfig, openDatabase } from '../src/index';
import { describeEachBackend, messagesIn, openStream } from './harness';
import { buildRoom, buildUser } from '@enclave/testkit';

/** Opens a raw socket and collects frames, for checks below the SDK's own de-duplication. */
async function rawStream(url: string, token: string | undefined, query = '', headers: Record<string, string> = {}) {
  const frames: ServerFrame[] = [];
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/stream?${token ? `token=${token}&` : ''}${query}`, { headers });
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  socket.on('message', (data) => frames.push(JSON.parse(String(data)) as ServerFrame));
  const waitFor = async (predicate: () => boolean, what: string) => {
    for (let i = 0; i < 500 && !predicate(); i += 1) await new Promise((r) => setTimeout(r, 10));
    assert.ok(predicate(), `timed out waiting for ${what}`);
  };
  return { socket, frames, closed, waitFor };
}

describeEachBackend('stream', (server) => {
  test('hello carries the protocol version and the log head, then the stream says it is synced', async () => {
    const alice = await buildUser(server());
    const raw = await rawStream(server().url, alice.client.currentToken);
    await raw.waitFor(() => raw.frames.some((f) => f.type === 'synced'), 'synced');
    const hello = raw.frames[0];
    assert.equal(hello?.type, 'hello');
    assert.equal(hello.type === 'hello' && hello.protocolVersion, PROTOCOL_VERSION);
    assert.equal(hello.type === 'hello' && hello.userId, alice.user.id);
    raw.socket.close();
  });

  test('a message reaches every member live and nobody else', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const outsider = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const [aliceStream, bobStream, outsiderStream] = await Promise.all([openStream(alice.client), openStream(bob.client), openStream(outsider.client)]);
    const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'hello team' } });
    await bobStream.waitFor((events) => messagesIn(events, room.id).length === 1, 'bob receives');
    await aliceStream.waitFor((events) => messagesIn(events, room.id).length === 1, 'alice receives her own');
    assert.deepEqual(messagesIn(bobStream.events, room.id)[0], sent.message);
    // A marker message to the outsider's own room proves their stream is flowing and would have shown a leak.
    const own = await buildRoom(server(), { owner: outsider.client });
    await outsider.client.endpoint('sendMessage')({ params: { roomId: own.id }, body: { text: 'marker' } });
    await outsiderStream.waitFor((events) => messagesIn(events, own.id).length === 1, 'outsider marker');
    assert.equal(messagesIn(outsiderStream.events, room.id).length, 0);
    for (const s of [aliceStream, bobStream, outsiderStream]) s.close();
  });

  test('sends over the stream are acknowledged with the stored message, and errors name the client id', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const live = await openStream(alice.client);
    const message = await live.stream.sendMessage({ roomId: room.id, text: 'via stream', clientId: 'ws-1' });
    assert.equal(message.text, 'via stream');
    assert.equal(message.clientId, 'ws-1');
    const history = await alice.client.endpoint('listMessages')({ params: { roomId: room.id } });
    assert.equal(history.messages[0]?.id, message.id);
    const refused = await live.stream.sendMessage({ roomId: 'not-a-room', text: 'x', clientId: 'ws-2' }).catch((e: unknown) => e);
    assert.ok(refused instanceof EnclaveApiError);
    assert.equal(refused.code, 'ROOM_NOT_FOUND');
    live.close();
  });

  test('a malformed frame gets an error frame and the connection stays usable', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const raw = await rawStream(server().url, alice.client.currentToken, '', { 'accept-language': 'zh-CN' });
    await raw.waitFor(() => raw.frames.some((f) => f.type === 'synced'), 'synced');
    raw.socket.send('{not json');
    raw.socket.send(JSON.stringify({ type: 'message.send', roomId: room.id, clientId: 'c1' }));
    raw.socket.send(JSON.stringify({ type: 'message.send', roomId: room.id, text: 'fine', clientId: 'c2' }));
    await raw.waitFor(() => raw.frames.some((f) => f.type === 'message.ack'), 'ack');
    const errors = raw.frames.filter((f) => f.type === 'error');
    assert.deepEqual(errors.map((f) => f.type === 'error' && [f.error.code, f.clientId ?? null]), [
      ['MALFORMED_JSON', null],
      ['VALIDATION_FAILED', 'c1'],
    ]);
    assert.equal(errors[0]?.type === 'error' && errors[0].error.message, '请求内容不是有效的 JSON。');
    raw.socket.close();
    const english = await rawStream(server().url, alice.client.currentToken, 'locale=en', { 'accept-language': 'zh-CN' });
    await english.waitFor(() => english.frames.some((f) => f.type === 'synced'), 'synced');
    english.socket.send('{not json');
    await english.waitFor(() => english.frames.some((f) => f.type === 'error'), 'error frame');
    const error = english.frames.find((f) => f.type === 'error');
    assert.equal(error?.type === 'error' && error.error.message, 'The request body is not valid JSON.', 'the locale parameter wins');
    english.socket.close();
  });

  test('a reconnecting client receives exactly what it missed, with no gap and no duplicate', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'before' } });
    const first = await openStream(bob.client);
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'seen live' } });
    await first.waitFor((events) => messagesIn(events).length === 1, 'live message');
    const cursor = first.stream.position!;
    first.close();
    for (let i = 0; i < 5; i += 1) await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `missed ${i}` } });
    const raw = await rawStream(server().url, bob.client.currentToken, `after=${cursor}`);
    await raw.waitFor(() => raw.frames.some((f) => f.type === 'synced'), 'synced');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'after resume' } });
    await raw.waitFor(() => raw.frames.filter((f) => f.type === 'message.created').length === 6, 'six messages');
    const texts = raw.frames.flatMap((f) => (f.type === 'message.created' ? [f.message.text] : []));
    assert.deepEqual(texts, ['missed 0', 'missed 1', 'missed 2', 'missed 3', 'missed 4', 'after resume']);
    const positions = raw.frames.flatMap((f) => ('position' in f && f.type === 'message.created' ? [f.position] : []));
    assert.deepEqual(positions, [...positions].sort((a, b) => a - b));
    raw.socket.close();
  });

  test('the SDK stream resumes by itself after a dropped connection', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const live = await openStream(bob.client);
    live.stream.dropConnection();
    await Promise.all([0, 1, 2].map((i) => alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `during drop ${i}` } })));
    await live.waitFor((events) => messagesIn(events).length === 3, 'messages sent during the drop');
    assert.ok(live.states.includes('reconnecting'));
    assert.equal(new Set(messagesIn(live.events).map((m) => m.id)).size, 3);
    live.close();
  });

  test('someone added to a room starts receiving it live; someone removed stops and is told', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const bobStream = await openStream(bob.client);
    await alice.client.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [bob.user.id] } });
    await bobStream.waitFor((events) => events.some((e) => e.type === 'room.member_added' && e.room.id === room.id), 'member_added');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'welcome' } });
    await bobStream.waitFor((events) => messagesIn(events, room.id).length === 1, 'welcome');
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    await bobStream.waitFor((events) => events.some((e) => e.type === 'room.member_removed' && e.userIds.includes(bob.user.id)), 'member_removed');
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'secret after removal' } });
    const marker = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    await alice.client.endpoint('sendMessage')({ params: { roomId: marker.id }, body: { text: 'marker' } });
    await bobStream.waitFor((events) => messagesIn(events, marker.id).length === 1, 'marker');
    assert.deepEqual(messagesIn(bobStream.events, room.id).map((m) => m.text), ['welcome']);
    bobStream.close();
  });

  test('a removed member resuming from before the removal is told, and sees nothing sent after it', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const first = await openStream(bob.client);
    const cursor = first.stream.position!;
    first.close();
    await alice.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
    await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'after removal' } });
    const resumed = await openStream(bob.client, { after: cursor });
    assert.ok(resumed.events.some((e) => e.type === 'room.member_removed' && e.roomId === room.id));
    assert.equal(messagesIn(resumed.events, room.id).length, 0);
    resumed.close();
  });

  test('reading on one device moves the read position on the others', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'read me' } });
    const otherDevice = await openStream(bob.client);
    const result = await bob.client.endpoint('markRead')({ params: { roomId: room.id }, body: { messageId: sent.message.id } });
    assert.equal(result.unreadCount, 0);
    await otherDevice.waitFor((events) => events.some((e) => e.type === 'room.read' && e.lastReadPosition === sent.message.position), 'room.read');
    otherDevice.close();
  });

  test('refuses a stream without valid credentials, and one riding a cookie from another site', async () => {
    const alice = await buildUser(server());
    const anonymous = await rawStream(server().url, undefined);
    assert.equal(await anonymous.closed, streamCloseCodes.unauthenticated);
    const forged = await rawStream(server().url, 'not-a-token');
    assert.equal(await forged.closed, streamCloseCodes.unauthenticated);
    const crossSite = await rawStream(server().url, undefined, '', { cookie: `enclave_session=${alice.client.currentToken}`, origin: 'https://evil.example' });
    assert.equal(await crossSite.closed, streamCloseCodes.unauthenticated);
    const sameSite = await rawStream(server().url, undefined, '', { cookie: `enclave_session=${alice.client.currentToken}`, origin: server().url });
    await sameSite.waitFor(() => sameSite.frames.some((f) => f.type === 'synced'), 'cookie stream synced');
    sameSite.socket.close();
  });

  test('signing out a device closes its open stream at once', async () => {
    const alice = await buildUser(server());
    const raw = await rawStream(server().url, alice.client.currentToken);
    await raw.waitFor(() => raw.frames.some((f) => f.type === 'synced'), 'synced');
    await alice.client.endpoint('logout')();
    assert.equal(await raw.closed, streamCloseCodes.sessionRevoked);
  });

  test('an entry written by another server process still reaches live clients, in order', async () => {
    const alice = await buildUser(server());
    const bob = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
    const live = await openStream(bob.client);
    // A second node on the same storage: its writes never pass through this server's hub.
    const config = loadConfig({}, { ...server().storageConfig, logLevel: 'silent' });
    const otherNode = openDatabase(config);
    const { app, services } = await buildApp(config, otherNode);
    try {
      await services.messages.sendMessage({ userId: alice.user.id, ip: null }, room.id, { text: 'from the other node' });
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'from this node' } });
      await live.waitFor((events) => messagesIn(events, room.id).length === 2, 'both messages');
      assert.deepEqual(messagesIn(live.events, room.id).map((m) => m.text), ['from the other node', 'from this node']);
    } finally {
      await app.close();
      await otherNode.db.destroy();
      live.close();
    }
  });
});
