import assert from 'node:assert/strict';
import net from 'node:net';
import { afterEach, test } from 'node:test';
import { STREAM_PATH, streamCloseCodes } from '@enclave/protocol';
import { EnclaveApiError, EnclaveClient, type StreamState } from '@enclave/sdk';
import WebSocket from 'ws';
import { FrameBudget, frameCost } from '../src/stream/stream-limits';
import { loadConfig, startServer, type ConfigInput, type RunningServer } from '../src/index';
import { describeEachBackend, messagesIn, openStream, type TestServer } from './harness';
import { buildRoomOfTwo, buildUser } from '@enclave/testkit';
import { clientFrame, opcodes, openRawStream, type RawStream } from './raw-websocket';

/**
 * Errors that would have ended a real server process. The test runner catches them and carries on, so the tests
 * watch for them here (a monitor changes nothing about how they are handled).
 */
const uncaught: unknown[] = [];
process.on('uncaughtExceptionMonitor', (error) => uncaught.push(error));

interface Attack {
  name: string;
  frames: () => Buffer[];
  /** The close code the attacker must see, whenever the frames arrive. */
  code: number;
  /** When the attack can be made; all three moments unless said otherwise. */
  moments?: Moment[];
}

type Moment = 'before sign-in' | 'right behind the upgrade' | 'after sign-in';

const presenceSet = '{"type":"presence.set","status":"online"}';

const attacks: Attack[] = [
  { name: 'a text frame larger than the frame limit', frames: () => [clientFrame(opcodes.text, 'x'.repeat(300_000))], code: streamCloseCodes.messageTooBig },
  { name: 'a text frame that is not valid UTF-8', frames: () => [clientFrame(opcodes.text, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))], code: streamCloseCodes.invalidPayload },
  { name: 'a binary frame', frames: () => [clientFrame(opcodes.binary, Buffer.from([1, 2, 3]))], code: streamCloseCodes.badRequest },
  { name: 'a frame with a reserved opcode', frames: () => [clientFrame(opcodes.reserved, 'hello')], code: streamCloseCodes.protocolError },
  { name: 'a frame with a reserved bit set', frames: () => [clientFrame(opcodes.text, presenceSet, { rsv1: true })], code: streamCloseCodes.protocolError },
  { name: 'an unmasked frame', frames: () => [clientFrame(opcodes.text, presenceSet, { masked: false })], code: streamCloseCodes.protocolError },
  { name: 'a flood of frames', frames: () => Array.from({ length: 2000 }, () => clientFrame(opcodes.text, presenceSet)), code: streamCloseCodes.flooding },
  { name: 'a flood of pings', frames: () => Array.from({ length: 2000 }, () => clientFrame(opcodes.ping, 'are you there')), code: streamCloseCodes.flooding },
  // Each is allowed alone, but together they would queue megabytes of unread input while the server is busy. Without
  // credentials they never get that far: the server refuses the sign-in before the second frame is read.
  {
    name: 'a flood of large frames',
    frames: () => Array.from({ length: 40 }, () => clientFrame(opcodes.text, `{"pad":"${'x'.repeat(60_000)}"}`)),
    code: streamCloseCodes.flooding,
    moments: ['right behind the upgrade', 'after sign-in'],
  },
];

/**
 * Someone minding their own business on the same server: connected before the attack, and proof afterwards that
 * the process lives, answers /healthz and still delivers messages to connected clients.
 */
async function connectBystanders(server: TestServer) {
  const { alice, bob, room } = await buildRoomOfTwo(server);
  const watching = await openStream(bob.client);
  return {
    close: () => watching.close(),
    async stillServed(): Promise<void> {
      assert.deepEqual(uncaught.splice(0), []);
      const health = await fetch(`${server.url}/healthz`);
      assert.equal(health.status, 200);
      const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'still here' } });
      await watching.waitFor((events) => messagesIn(events, room.id).some((m) => m.id === sent.message.id), 'the bystander still receiving');
      assert.deepEqual(watching.states.filter((state) => state !== 'live'), []);
    },
  };
}

/** Opens a raw stream the way the moment asks: without credentials, with them but at once, or once synced. */
async function attackAt(server: TestServer, moment: Moment, frames: Buffer[]): Promise<RawStream> {
  if (moment === 'before sign-in') return openRawStream(server.url, { behindUpgrade: frames });
  const { client } = await buildUser(server);
  if (moment === 'right behind the upgrade') return openRawStream(server.url, { token: client.currentToken, behindUpgrade: frames });
  const raw = openRawStream(server.url, { token: client.currentToken });
  await raw.waitFor(() => raw.frames.some((frame) => frame.type === 'synced'), 'synced');
  raw.send(...frames);
  return raw;
}

describeEachBackend('a stream under attack', (server) => {
  afterEach(() => assert.deepEqual(uncaught.splice(0), []));

  for (const attack of attacks) {
    for (const moment of attack.moments ?? (['before sign-in', 'right behind the upgrade', 'after sign-in'] as const)) {
      test(`${attack.name} ${moment} closes that connection with ${attack.code}, and everyone else carries on`, async () => {
        const bystanders = await connectBystanders(server());
        try {
          const raw = await attackAt(server(), moment, attack.frames());
          assert.equal(await raw.closed, attack.code);
          await bystanders.stillServed();
        } finally {
          bystanders.close();
        }
      });
    }
  }

  test('malformed JSON and unknown frame types get error frames after sign-in, and the connection stays usable', async () => {
    const { client, user } = await buildUser(server());
    const garbage = () => [clientFrame(opcodes.text, '{not json'), clientFrame(opcodes.text, '{"type":"self.destruct"}'), clientFrame(opcodes.text, '[]')];
    for (const early of [true, false]) {
      const raw = openRawStream(server().url, { token: client.currentToken, ...(early ? { behindUpgrade: garbage() } : {}) });
      await raw.waitFor(() => raw.frames.some((frame) => frame.type === 'synced'), 'synced');
      if (!early) raw.send(...garbage());
      await raw.waitFor(() => raw.frames.filter((frame) => frame.type === 'error').length === 3, 'three error frames');
      const codes = raw.frames.flatMap((frame) => (frame.type === 'error' ? [frame.error.code] : []));
      assert.deepEqual(codes, ['MALFORMED_JSON', 'VALIDATION_FAILED', 'VALIDATION_FAILED']);
      raw.send(clientFrame(opcodes.text, JSON.stringify({ type: 'presence.watch', userIds: [user.id] })));
      await raw.waitFor(() => raw.frames.some((frame) => frame.type === 'presence' && frame.userId === user.id && frame.status === 'online'), 'my own presence');
      raw.end();
      assert.equal(await raw.closed, 1000);
    }
  });

  test('a malformed upgrade request is answered 400 without a connection, and everyone else carries on', async () => {
    const bystanders = await connectBystanders(server());
    try {
      const { hostname, port } = new URL(server().url);
      const socket = net.connect({ host: hostname, port: Number(port) });
      socket.write(`GET ${STREAM_PATH} HTTP/1.1\r\nHost: ${hostname}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n\r\n`);
      const answer = await new Promise<string>((resolve) => {
        let text = '';
        socket.on('data', (chunk) => (text += String(chunk)));
        socket.on('close', () => resolve(text));
      });
      assert.match(answer, /^HTTP\/1\.1 400 /);
      await bystanders.stillServed();
    } finally {
      bystanders.close();
    }
  });

  test('a ping is answered with a pong carrying the same bytes', async () => {
    const { client } = await buildUser(server());
    const raw = openRawStream(server().url, { token: client.currentToken });
    await raw.waitFor(() => raw.frames.some((frame) => frame.type === 'synced'), 'synced');
    raw.send(clientFrame(opcodes.ping, 'are you there'));
    await raw.waitFor(() => raw.pongs.length === 1, 'the pong');
    assert.deepEqual(raw.pongs, ['are you there']);
    raw.end();
  });

  test('frames sent before the credentials are checked are handled only after sign-in, in order', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const send = JSON.stringify({ type: 'message.send', roomId: room.id, text: 'sent with the upgrade', clientId: 'early-1' });
    const raw = openRawStream(server().url, { token: alice.client.currentToken, behindUpgrade: [clientFrame(opcodes.text, send)] });
    await raw.waitFor(() => raw.frames.some((frame) => frame.type === 'message.ack'), 'the ack');
    assert.deepEqual(raw.frames.slice(0, 2).map((frame) => frame.type), ['hello', 'synced']);
    const ack = raw.frames.find((frame) => frame.type === 'message.ack');
    assert.equal(ack?.type === 'message.ack' && ack.message.text, 'sent with the upgrade');
    raw.end();
  });

  test('frames sent behind the upgrade without credentials are never handled', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const send = JSON.stringify({ type: 'message.send', roomId: room.id, text: 'nobody sent this', clientId: 'anonymous-1' });
    const raw = openRawStream(server().url, { behindUpgrade: [clientFrame(opcodes.text, send), clientFrame(opcodes.text, '{not json')] });
    assert.equal(await raw.closed, streamCloseCodes.unauthenticated);
    assert.deepEqual(raw.frames, []);
    const history = await alice.client.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
    assert.deepEqual(history.messages, []);
  });

  test('a client sending as fast as a reconnecting app resends its queue never reaches the frame limit', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const sender = await openStream(alice.client);
    const sends = Array.from({ length: 150 }, (_, i) => sender.stream.sendMessage({ roomId: room.id, text: `quick ${i}`, clientId: `quick-${i}` }));
    for (let i = 0; i < 20; i += 1) sender.stream.sendTyping(room.id);
    const stored = await Promise.all(sends);
    assert.equal(new Set(stored.map((message) => message.id)).size, 150);
    assert.deepEqual(sender.states.filter((state) => state !== 'live'), []);
    sender.close();
  });

  test('one person holds at most the configured number of streams; the newest over the cap is closed', async () => {
    const node = await startNode(server(), { streamMaxPerUser: 2 });
    try {
      const alice = await buildUser(server());
      const bob = await buildUser(server());
      const first = await syncedRawStream(node.url, alice.client.currentToken);
      const second = await syncedRawStream(node.url, alice.client.currentToken);
      const third = openRawStream(node.url, { token: alice.client.currentToken });
      assert.equal(await third.closed, streamCloseCodes.tooManyConnections);
      // The cap is per person: someone else still gets in, and the first two are untouched.
      const bobs = await syncedRawStream(node.url, bob.client.currentToken);
      second.send(clientFrame(opcodes.text, JSON.stringify({ type: 'presence.watch', userIds: [bob.user.id] })));
      await second.waitFor(() => second.frames.some((frame) => frame.type === 'presence' && frame.status === 'online'), 'the second stream still working');
      // Closing one makes room again, once the server has seen it go.
      first.end();
      await first.closed;
      assert.equal(await eventuallySynced(node.url, alice.client.currentToken), true);
      for (const raw of [second, bobs]) raw.end();
    } finally {
      await node.close();
    }
  });

  test('one client address holds at most the configured number of streams, signed in or not', async () => {
    const node = await startNode(server(), { streamMaxPerAddress: 3 });
    try {
      const people = await Promise.all([buildUser(server()), buildUser(server()), buildUser(server())]);
      const open = await Promise.all(people.map((person) => syncedRawStream(node.url, person.client.currentToken)));
      const fourth = await buildUser(server());
      assert.equal(await openRawStream(node.url, { token: fourth.client.currentToken }).closed, streamCloseCodes.tooManyConnections);
      assert.equal(await openRawStream(node.url, { behindUpgrade: attacks[0]!.frames() }).closed, streamCloseCodes.tooManyConnections);
      // Another address has a count of its own.
      const elsewhere = openRawStream(node.url, { token: fourth.client.currentToken, localAddress: '127.0.0.2' });
      await elsewhere.waitFor(() => elsewhere.frames.some((frame) => frame.type === 'synced'), 'synced from another address');
      for (const raw of [...open, elsewhere]) raw.end();
    } finally {
      await node.close();
    }
  });

  test('behind a trusted proxy each forwarded client has its own count, and a forwarded address from anyone else is ignored', async () => {
    const node = await startNode(server(), { streamMaxPerAddress: 1, trustProxy: '127.0.0.1' });
    try {
      const [first, second] = await Promise.all([buildUser(server()), buildUser(server())]);
      const viaProxy = (token: string | undefined, client: string) => openRawStream(node.url, { token, headers: { 'X-Forwarded-For': client } });
      const one = viaProxy(first.client.currentToken, '198.51.100.1');
      await one.waitFor(() => one.frames.some((frame) => frame.type === 'synced'), 'the first forwarded client synced');
      const two = viaProxy(second.client.currentToken, '198.51.100.2');
      await two.waitFor(() => two.frames.some((frame) => frame.type === 'synced'), 'a second forwarded client synced');
      assert.equal(await viaProxy(second.client.currentToken, '198.51.100.1').closed, streamCloseCodes.tooManyConnections);
      // 127.0.0.2 is no trusted proxy: what it claims to forward is not believed, so its own address counts.
      const direct = openRawStream(node.url, { token: first.client.currentToken, localAddress: '127.0.0.2', headers: { 'X-Forwarded-For': '198.51.100.3' } });
      await direct.waitFor(() => direct.frames.some((frame) => frame.type === 'synced'), 'a direct client synced');
      const spoofed = openRawStream(node.url, { token: second.client.currentToken, localAddress: '127.0.0.2', headers: { 'X-Forwarded-For': '198.51.100.4' } });
      assert.equal(await spoofed.closed, streamCloseCodes.tooManyConnections);
      for (const raw of [one, two, direct]) raw.end();
    } finally {
      await node.close();
    }
  });

  test('the SDK reports a close over its own frame as a client fault and comes back live', async () => {
    const { alice } = await buildRoomOfTwo(server());
    const sockets: WebSocket[] = [];
    const faults: number[] = [];
    const stream = alice.client.stream({
      socketFactory: (url) => {
        const socket = new WebSocket(url);
        sockets.push(socket);
        return socket as never;
      },
      minDelay: 20,
      maxDelay: 200,
      onClientFault: (code) => faults.push(code),
    });
    await stream.whenLive();
    // A binary frame, which the SDK itself never sends, stands in for a bug in the client.
    sockets[0]!.send(Buffer.from([1, 2, 3]), { binary: true });
    await waitUntil(() => sockets.length === 2 && stream.currentState === 'live', 'the SDK live again');
    assert.deepEqual(faults, [streamCloseCodes.badRequest]);
    stream.close();
  });

  test('the SDK refuses a send too large for the stream without losing the stream', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const sender = await openStream(alice.client);
    await assert.rejects(sender.stream.sendMessage({ roomId: room.id, text: 'x'.repeat(70_000), clientId: 'too-large' }), (error) => error instanceof EnclaveApiError && error.code === 'VALIDATION_FAILED');
    const stored = await sender.stream.sendMessage({ roomId: room.id, text: 'a normal one', clientId: 'normal' });
    assert.equal(stored.text, 'a normal one');
    assert.deepEqual(sender.states.filter((state) => state !== 'live'), []);
    sender.close();
  });

  test('an SDK stream over the per-person cap waits and gets in once a place is free', async () => {
    const node = await startNode(server(), { streamMaxPerUser: 1 });
    try {
      const alice = await buildUser(server());
      const onNode = new EnclaveClient({ baseUrl: node.url, token: alice.client.currentToken });
      const states: StreamState[] = [];
      const first = onNode.stream({ socketFactory: (url) => new WebSocket(url) as never });
      await first.whenLive();
      const second = onNode.stream({ socketFactory: (url) => new WebSocket(url) as never, minDelay: 20, maxDelay: 200, onStateChange: (state) => states.push(state) });
      await waitUntil(() => states.includes('reconnecting'), 'the second refused');
      assert.equal(first.currentState, 'live');
      first.close();
      await second.whenLive();
      second.close();
    } finally {
      await node.close();
    }
  });
});

async function waitUntil(condition: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 500 && !condition(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  assert.ok(condition(), `timed out waiting for ${what}`);
}

test('the frame budget allows a burst of ten seconds at its rate, refills at that rate and no further, and charges large frames more', () => {
  let now = 0;
  const budget = new FrameBudget(5, () => now);
  const takes = (count: number) => Array.from({ length: count }, () => budget.take());
  assert.deepEqual(takes(51), [...Array(50).fill(true), false]);
  now += 1000;
  assert.deepEqual(takes(6), [...Array(5).fill(true), false]);
  now += 3_600_000;
  assert.deepEqual(takes(51), [...Array(50).fill(true), false]);
  now += 10_000;
  assert.equal(budget.take(frameCost(200_000)), true);
  assert.equal(budget.take(frameCost(4096)), false);
  assert.equal(budget.take(), true);
});

/** A second node on the test server's storage with its own stream limits. */
async function startNode(server: TestServer, limits: Partial<ConfigInput>): Promise<RunningServer> {
  return startServer(loadConfig({}, { ...server.storageConfig, port: 0, host: '127.0.0.1', logLevel: 'silent', ...limits }));
}

async function syncedRawStream(url: string, token: string | undefined): Promise<RawStream> {
  const raw = openRawStream(url, { ...(token ? { token } : {}) });
  await raw.waitFor(() => raw.frames.some((frame) => frame.type === 'synced'), 'synced');
  return raw;
}

/** Tries a new stream until one is let in: the server releases a place when it sees the old socket close. */
async function eventuallySynced(url: string, token: string | undefined): Promise<boolean> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const raw = openRawStream(url, { ...(token ? { token } : {}) });
    const outcome = await Promise.race([raw.closed, new Promise<'synced'>((resolve) => void raw.waitFor(() => raw.frames.some((f) => f.type === 'synced'), 'synced').then(() => resolve('synced'), () => undefined))]);
    if (outcome === 'synced') {
      raw.end();
      return true;
    }
    assert.equal(outcome, streamCloseCodes.tooManyConnections);
  }
  return false;
}
