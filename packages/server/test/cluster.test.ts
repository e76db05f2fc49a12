import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser } from '@enclave/testkit';
import { streamCloseCodes } from '@enclave/protocol';
import { WebSocket } from 'ws';
import { sql } from 'kysely';
import { connect } from '@nats-io/transport-node';
import { randomBytes } from 'node:crypto';
import { clusterSubjectPrefix } from '../src/cluster/cluster-link';
import { ClusterSeal } from '../src/cluster/cluster-seal';
import { runAlone } from '../src/db/job-lock';
import { CATCH_UP_LIMIT_MS } from '../src/http/readiness';
import { loadConfig, openDatabase, startServer, type RunningServer } from '../src/index';
import { messagesIn, openStream, startTestServer, testBackends, type TestServer } from './harness';
import { guessUntilHeldBack, signInFrom } from './from-address';
import { NatsProcess } from './nats-process';

/** What `/healthz` says of a node linked to others. */
interface NodeHealth {
  status: string;
  cluster?: { nats: string; behind: number; refused: number };
}

const HOUR_MS = 3_600_000;

/** A bare stream to one node, and the close code it ends with. */
async function rawStreamTo(url: string, token: string): Promise<{ closed: Promise<number>; close(): void }> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/stream?token=${token}`);
  const closed = new Promise<number>((resolve) => socket.on('close', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    socket.on('message', (data) => {
      if ((JSON.parse(String(data)) as { type: string }).type === 'synced') resolve();
    });
    socket.once('error', reject);
  });
  return { closed, close: () => socket.close() };
}

async function health(url: string): Promise<NodeHealth> {
  return (await (await fetch(`${url}/healthz`)).json()) as NodeHealth;
}

async function untilHealth(url: string, wanted: (health: NodeHealth) => boolean, what: string): Promise<NodeHealth> {
  for (let attempt = 0; attempt < 400; attempt += 1) {
    const seen = await health(url);
    if (wanted(seen)) return seen;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`node never reported ${what}`);
}

// Nodes share one PostgreSQL database (SQLite is one node's own file), so this suite runs on PostgreSQL only.
if (testBackends().includes('postgres')) {
  describe('several nodes on one PostgreSQL database and NATS', () => {
    let nats: NatsProcess;
    let first: TestServer;
    let second: RunningServer;

    before(async () => {
      nats = await NatsProcess.start();
      // Both nodes compare themselves with the log's head only once an hour: what crosses between them, the broker carried.
      first = await startTestServer({ backend: 'postgres', config: { natsUrl: nats.url }, build: { clusterResyncMs: HOUR_MS } });
      second = await startServer(nodeConfig(), { clusterResyncMs: HOUR_MS });
      await untilHealth(first.url, (seen) => seen.cluster?.nats === 'connected', 'a broker line');
      await untilHealth(second.url, (seen) => seen.cluster?.nats === 'connected', 'a broker line');
    });

    after(async () => {
      await second?.close();
      await first?.close();
      await nats?.stop();
    });

    /** Another node of the installation: the first node's database and data directory, its own port. */
    function nodeConfig(natsUrl = nats.url) {
      return loadConfig({}, { port: 0, host: '127.0.0.1', ...first.storageConfig, natsUrl, logLevel: 'silent', passwordHashCost: 10, loginAttemptsPerMinute: 10_000 });
    }

    /** The same person signed in on the second node. */
    async function onSecond(user: Awaited<ReturnType<typeof buildUser>>): Promise<EnclaveClient> {
      const client = new EnclaveClient({ baseUrl: second.url });
      await client.login(user.username, user.password);
      return client;
    }

    test('people on different nodes talk in a room and a DM, and see every message once, in the same order', async () => {
      const alice = await buildUser(first);
      const bob = await buildUser(first);
      const bobOnSecond = await onSecond(bob);
      const room = await buildRoom(first, { owner: alice.client, members: [bob.user] });
      const { room: dm } = await bobOnSecond.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [alice.user.id] } });
      const [aliceLive, bobLive] = await Promise.all([openStream(alice.client), openStream(bobOnSecond)]);
      try {
        for (let i = 0; i < 20; i += 1) {
          await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `from the first node ${i}` } });
          await bobOnSecond.endpoint('sendMessage')({ params: { roomId: i % 2 === 0 ? room.id : dm.id }, body: { text: `from the second node ${i}` } });
        }
        const all = (events: typeof bobLive.events) => messagesIn(events, room.id).length === 30 && messagesIn(events, dm.id).length === 10;
        await Promise.all([aliceLive.waitFor(all, 'all 40 messages on the first node'), bobLive.waitFor(all, 'all 40 messages on the second node')]);
        for (const live of [aliceLive, bobLive]) {
          const positions = live.events.map((event) => event.position);
          assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'in position order');
          assert.equal(new Set(positions).size, positions.length, 'no duplicate');
        }
        const order = (live: typeof aliceLive) => messagesIn(live.events).map((message) => message.id);
        assert.deepEqual(order(aliceLive), order(bobLive), 'the same messages in the same order on both nodes');
        const history = async (client: EnclaveClient) => (await client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 50 } })).messages.map((message) => message.id);
        assert.deepEqual(await history(alice.client), await history(bobOnSecond));
      } finally {
        aliceLive.close();
        bobLive.close();
      }
    });

    test('a doorbell from a stranger on the broker, far past the log, loses nothing', async () => {
      const alice = await buildUser(first);
      const bob = await buildUser(first);
      const room = await buildRoom(first, { owner: alice.client, members: [bob.user] });
      const bobLive = await openStream(await onSecond(bob));
      const stranger = await connect({ servers: nats.url });
      try {
        const head = Number((await sql<{ position: number }>`select max(position) as position from (select max(position) as position from messages union all select max(position) from events) as heads`.execute(first.running.database.db)).rows[0]!.position);
        stranger.publish(`${clusterSubjectPrefix(first.storageConfig.databaseUrl!)}.log`, JSON.stringify({ node: 'stranger', kind: 'committed', position: head + 1000 }));
        await stranger.flush();
        const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'after the bogus doorbell' } });
        await bobLive.waitFor((events) => messagesIn(events, room.id).some((m) => m.id === message.id), 'the real message');
      } finally {
        await stranger.close();
        bobLive.close();
      }
    });

    test('someone on the broker who is not a node can neither lift a lockout nor fake presence, with made-up messages or replayed real ones', async () => {
      const victim = await buildUser(first);
      const ghost = await buildUser(first);
      const address = '127.0.32.1';
      const controlSubject = `${clusterSubjectPrefix(first.storageConfig.databaseUrl!)}.control`;
      const stranger = await connect({ servers: nats.url });
      const captured: string[] = [];
      stranger.subscribe(controlSubject, { callback: (_error, message) => void captured.push(message.string()) });
      await stranger.flush();
      const watcher = await openStream(await onSecond(victim));
      try {
        // The owner signs in from the address once: the first node tells the others of the success, and the stranger records it.
        assert.equal((await signInFrom(first, address, victim.username, victim.password)).status, 200);
        const isSuccessFrom = (wire: string) => wire.includes('"outcome":"succeeded"') && wire.includes(`"address":"${address}"`);
        for (let wait = 0; wait < 400 && !captured.some(isSuccessFrom); wait += 1) await new Promise((resolve) => setTimeout(resolve, 25));
        const realSuccess = captured.find(isSuccessFrom);
        assert.ok(realSuccess, 'the stranger saw the real success go by');
        // Then a guesser at the same address is held back, on both nodes.
        await guessUntilHeldBack(first, address, victim.username);
        const secondNode = { url: second.url } as TestServer;
        watcher.stream.watchPresence([ghost.user.id]);
        await watcher.waitForEphemeral((frames) => frames.some((frame) => frame.type === 'presence' && frame.userId === ghost.user.id && frame.status === 'offline'), 'the ghost offline');

        const success = JSON.parse(realSuccess.slice(realSuccess.indexOf('.') + 1)) as { control: object };
        const liftLockout = { kind: 'control', control: { ...success.control, at: Date.now() } };
        const ghostOnline = { kind: 'control', control: { kind: 'presence', userId: ghost.user.id, status: 'online', rooms: [] } };
        const foreignKey = new ClusterSeal(randomBytes(32), 'stranger-node');
        const attacks = [
          realSuccess,
          JSON.stringify({ node: 'stranger', ...liftLockout }),
          foreignKey.seal(controlSubject, liftLockout),
          JSON.stringify({ node: 'stranger', ...ghostOnline }),
          foreignKey.seal(controlSubject, ghostOnline),
        ];
        const refusedBefore = (await health(second.url)).cluster!.refused;
        for (const wire of attacks) stranger.publish(controlSubject, wire);
        await stranger.flush();
        await untilHealth(second.url, (seen) => seen.cluster!.refused >= refusedBefore + attacks.length, 'every attack refused');

        for (const node of [first, secondNode]) {
          const answer = await signInFrom(node, address, victim.username, victim.password);
          assert.equal(answer.status, 429, 'the lockout holds on every node');
        }
        assert.ok(!watcher.ephemeral.some((frame) => frame.type === 'presence' && frame.userId === ghost.user.id && frame.status === 'online'), 'nobody saw the ghost come online');
      } finally {
        watcher.close();
        await stranger.close();
      }
    });

    test('with a broker that asks for a password, nodes given it in ENCLAVE_NATS_URL link up and one without it does not', async () => {
      const password = 'p@ss:w/rd %1';
      const guarded = await NatsProcess.start({ user: 'enclave', pass: password });
      const linked = `nats://enclave:${encodeURIComponent(password)}@127.0.0.1:${guarded.port}`;
      const nodes = [await startServer(nodeConfig(linked), { clusterResyncMs: HOUR_MS }), await startServer(nodeConfig(linked), { clusterResyncMs: HOUR_MS })];
      const without = await startServer(nodeConfig(guarded.url));
      try {
        for (const node of nodes) await untilHealth(node.url, (seen) => seen.cluster?.nats === 'connected', 'a broker line with the password');
        const alice = await buildUser(first);
        const bob = await buildUser(first);
        const room = await buildRoom(first, { owner: alice.client, members: [bob.user] });
        const [aliceOn, bobOn] = [new EnclaveClient({ baseUrl: nodes[0]!.url }), new EnclaveClient({ baseUrl: nodes[1]!.url })];
        await aliceOn.login(alice.username, alice.password);
        await bobOn.login(bob.username, bob.password);
        const bobLive = await openStream(bobOn);
        try {
          const { message } = await aliceOn.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'through the guarded broker' } });
          await bobLive.waitFor((events) => messagesIn(events, room.id).some((m) => m.id === message.id), 'the message, carried by the broker (both nodes resync once an hour)');
        } finally {
          bobLive.close();
        }
        const refused = await health(without.url);
        assert.equal(refused.status, 'degraded');
        assert.equal(refused.cluster?.nats, 'connecting', 'the broker did not take the node without the password');
      } finally {
        for (const node of [...nodes, without]) await node.close();
        await guarded.stop();
      }
    });

    test('readyz takes a node out of rotation while it has not delivered what was committed 10 s before, and puts it back once it has', async () => {
      const alice = await buildUser(first);
      const room = await buildRoom(first, { owner: alice.client, members: [] });
      // A broker this node reaches only later: until then, and with its safety net once an hour, nothing tells it of new messages.
      const late = await NatsProcess.start();
      await late.stop();
      let now = Date.now();
      const lagging = await startServer(nodeConfig(late.url), { clusterResyncMs: HOUR_MS, clock: { now: () => now } });
      const readiness = async () => {
        const response = await fetch(`${lagging.url}/readyz`);
        return { status: response.status, body: (await response.json()) as { reasons: string[] } };
      };
      try {
        assert.equal((await readiness()).status, 200);
        await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'committed elsewhere' } });
        assert.equal((await readiness()).status, 200, 'just committed: it may yet arrive');
        now += CATCH_UP_LIMIT_MS + 1;
        assert.deepEqual(await readiness(), { status: 503, body: { ready: false, reasons: ['behind'] } });
        assert.equal((await health(lagging.url)).status, 'degraded');
        await late.resume();
        await untilHealth(lagging.url, (seen) => seen.cluster?.nats === 'connected' && seen.cluster.behind === 0, 'caught up from the database on reaching its broker');
        assert.equal((await readiness()).status, 200);
      } finally {
        await lagging.close();
        await late.stop();
      }
    });

    test('a settings change on one node applies on the others at once, not after their cache runs out', async () => {
      const owner = await buildUser(first);
      const member = await buildUser(first);
      const room = await buildRoom(first, { owner: owner.client, members: [member.user] });
      const ownerOnSecond = await onSecond(owner);
      const { settings } = await first.admin.client.endpoint('getAdminSettings')();
      const urgent = (text: string) => ownerOnSecond.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text, urgent: true, urgentReason: 'test' } });
      await first.admin.client.endpoint('updateAdminSettings')({ body: { urgent: { ...settings.urgent, roomOwners: true, perHour: 60 } } });
      try {
        // Warm the second node's copy of the settings: room owners may send urgent.
        let allowed = false;
        for (let attempt = 0; attempt < 400 && !allowed; attempt += 1) allowed = await urgent('warm').then(() => true, () => false);
        assert.ok(allowed);
        await first.admin.client.endpoint('updateAdminSettings')({ body: { urgent: { ...settings.urgent, roomOwners: false, roles: [], userIds: [], perHour: 60 } } });
        // Without the change reaching it, the second node would go on allowing them for up to its cache's 10 s.
        const outcomes: string[] = [];
        while (outcomes.length < 10 && !outcomes.includes('URGENT_NOT_ALLOWED')) outcomes.push(await urgent('after').then(() => 'sent', (error: { code?: string }) => error.code ?? 'failed'));
        assert.ok(outcomes.includes('URGENT_NOT_ALLOWED'), `the second node still allowed it: ${outcomes.join(', ')}`);
      } finally {
        await first.admin.client.endpoint('updateAdminSettings')({ body: { urgent: settings.urgent } });
      }
    });

    test('typing on one node shows on the other', async () => {
      const alice = await buildUser(first);
      const bob = await buildUser(first);
      const room = await buildRoom(first, { owner: alice.client, members: [bob.user] });
      const [aliceLive, bobLive] = await Promise.all([openStream(alice.client), openStream(await onSecond(bob))]);
      try {
        aliceLive.stream.sendTyping(room.id);
        await bobLive.waitForEphemeral((frames) => frames.some((frame) => frame.type === 'typing' && frame.roomId === room.id && frame.userId === alice.user.id), 'typing from the first node');
      } finally {
        aliceLive.close();
        bobLive.close();
      }
    });

    test('presence crosses nodes: a watcher on one hears someone on another come online, go away and go offline', async () => {
      const alice = await buildUser(first);
      const bob = await buildUser(first);
      const watcher = await openStream(await onSecond(alice));
      const heard = (status: string) => (frames: typeof watcher.ephemeral) => frames.some((frame) => frame.type === 'presence' && frame.userId === bob.user.id && frame.status === status);
      try {
        watcher.stream.watchPresence([bob.user.id]);
        await watcher.waitForEphemeral(heard('offline'), 'bob offline at first');
        const bobLive = await openStream(bob.client);
        await watcher.waitForEphemeral(heard('online'), 'bob online on the first node');
        bobLive.stream.setPresence('away');
        await watcher.waitForEphemeral(heard('away'), 'bob away');
        bobLive.close();
        await watcher.waitForEphemeral((frames) => frames.filter((frame) => frame.type === 'presence' && frame.userId === bob.user.id && frame.status === 'offline').length === 2, 'bob offline again');
      } finally {
        watcher.close();
      }
    });

    test('a session ended on one node closes its streams on the others; a changed clearance reopens them there', async () => {
      const alice = await buildUser(first);
      const onSecondNode = await rawStreamTo(second.url, alice.client.currentToken!);
      await alice.client.endpoint('logout')();
      assert.equal(await onSecondNode.closed, streamCloseCodes.sessionRevoked);

      const bob = await buildUser(first);
      const bobOnSecond = await onSecond(bob);
      const bobStream = await rawStreamTo(second.url, bobOnSecond.currentToken!);
      await first.admin.client.endpoint('updateUser')({ params: { userId: bob.user.id }, body: { clearance: 'secret' } });
      assert.equal(await bobStream.closed, streamCloseCodes.permissionsChanged);
    });

    test('do-not-disturb set on one node makes messages quiet on a stream open on another', async () => {
      const alice = await buildUser(first);
      const bob = await buildUser(first);
      const room = await buildRoom(first, { owner: alice.client, members: [bob.user] });
      await first.admin.client.endpoint('setWorkHoursPolicy')({ body: { organisation: { hours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }, timeZone: 'UTC' } } });
      const bobLive = await openStream(await onSecond(bob));
      try {
        const created = (id: string) => bobLive.events.find((event) => event.type === 'message.created' && event.message.id === id);
        const { message: before } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'at work' } });
        await bobLive.waitFor(() => created(before.id) !== undefined, 'the first message');
        assert.equal((created(before.id) as { quiet?: boolean }).quiet, undefined);
        await bob.client.endpoint('setMyWorkHours')({ body: { doNotDisturbUntil: new Date(Date.now() + HOUR_MS).toISOString() } });
        // The change travels to the other node beside the messages; it applies there within moments, and from then on.
        const quietness: boolean[] = [];
        while (quietness.length < 50 && !quietness.includes(true)) {
          const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `do not disturb ${quietness.length}` } });
          await bobLive.waitFor(() => created(message.id) !== undefined, 'a message during do-not-disturb');
          quietness.push((created(message.id) as { quiet?: boolean }).quiet === true);
        }
        assert.ok(quietness.includes(true), 'messages became quiet on the other node');
        const { message: later } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'still do not disturb' } });
        await bobLive.waitFor(() => created(later.id) !== undefined, 'a later message');
        assert.equal((created(later.id) as { quiet?: boolean }).quiet, true, 'and stay quiet');
      } finally {
        bobLive.close();
      }
    });

    test('a guesser held back on one node is held back on the others, and the owner still signs in there', async () => {
      const victim = await buildUser(first);
      const guesses = await guessUntilHeldBack(first, '127.0.30.1', victim.username);
      assert.equal(guesses.at(-1)!.body.error?.code, 'RATE_LIMITED');
      const secondNode = { url: second.url } as TestServer;
      const elsewhere = await signInFrom(secondNode, '127.0.30.1', victim.username, victim.password);
      assert.equal(elsewhere.status, 429, 'the same address waits on the other node too, even with the right password');
      assert.equal(elsewhere.body.error?.code, 'RATE_LIMITED');
      assert.equal((await signInFrom(secondNode, '127.0.30.2', victim.username, victim.password)).status, 200, 'the owner, from a clean address');
    });

    test('a job runs on one node at a time, and finishes on another when its node dies mid-job', async () => {
      // The node that dies has a database handle of its own, so that killing its session touches no running server.
      const dying = openDatabase(nodeConfig(), () => undefined);
      const [one, other] = [dying.db, second.database.db];
      let releaseFirst: () => void = () => undefined;
      const ran: string[] = [];
      const firstJob = runAlone(one, 'postgres', 'cluster-test-job', async () => {
        ran.push('first started');
        await new Promise<void>((resolve) => (releaseFirst = resolve));
      });
      while (ran.length === 0) await new Promise((resolve) => setImmediate(resolve));
      const secondJob = runAlone(other, 'postgres', 'cluster-test-job', async () => {
        ran.push('second ran');
      });
      // The node running the job dies: its database session ends, and its lock with it.
      const holders = await sql<{ pid: number }>`select pid from pg_locks where locktype = 'advisory' and granted and database = (select oid from pg_database where datname = current_database())`.execute(other);
      assert.equal(holders.rows.length, 1, 'one node holds the job');
      assert.deepEqual(ran, ['first started'], 'the other node waits');
      await sql`select pg_terminate_backend(${holders.rows[0]!.pid})`.execute(other);
      await secondJob;
      assert.deepEqual(ran, ['first started', 'second ran']);
      releaseFirst();
      await firstJob.catch(() => undefined);
      await dying.db.destroy();
    });

    test('a purge asked on two nodes at once erases and counts each message once', async () => {
      const officer = await buildUser(first, { role: 'compliance' });
      const officerOnSecond = await onSecond(officer);
      const alice = await buildUser(first);
      const room = await buildRoom(first, { owner: alice.client, members: [] });
      const ids: string[] = [];
      for (let i = 0; i < 40; i += 1) ids.push((await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `old ${i}` } })).message.id);
      await first.running.database.db.updateTable('messages').set({ created_at: Date.now() - 30 * 86_400_000 }).where('id', 'in', ids).execute();
      await officer.client.endpoint('setRetention')({ body: { scope: 'room', targetId: room.id, deleteAfterDays: 1, keepAtLeastDays: null } });
      try {
        const untilFinished = async (client: EnclaveClient) => {
          for (let run = await client.endpoint('runPurge')(); ; run = await client.endpoint('runPurge')()) if (run.finished) return run;
        };
        await Promise.all([untilFinished(officer.client), untilFinished(officerOnSecond)]);
        const left = await first.running.database.db.selectFrom('messages').select('id').where('room_id', '=', room.id).execute();
        assert.equal(left.length, 0);
        const entries = await first.running.database.db.selectFrom('audit_log').select(['data']).where('action', '=', 'retention.purged').execute();
        const counted = entries.flatMap((entry) => (JSON.parse(String(entry.data)) as { rooms: { roomId: string; messages: number }[] }).rooms).filter((count) => count.roomId === room.id);
        assert.equal(counted.reduce((total, count) => total + count.messages, 0), 40, 'each message counted once across both nodes');
      } finally {
        await officer.client.endpoint('removeRetention')({ body: { scope: 'room', targetId: room.id } });
      }
    });

    test('without the broker a node says it is degraded and still delivers the others’ messages from the database', async () => {
      const alice = await buildUser(first);
      const bob = await buildUser(first);
      const room = await buildRoom(first, { owner: alice.client, members: [bob.user] });
      // A node with the usual safety net (once a second), which is what carries events while the broker is away.
      const third = await startServer(nodeConfig());
      const bobOnThird = new EnclaveClient({ baseUrl: third.url });
      await bobOnThird.login(bob.username, bob.password);
      const bobLive = await openStream(bobOnThird);
      try {
        await nats.stop();
        const degraded = await untilHealth(third.url, (seen) => seen.status === 'degraded', 'degraded');
        assert.notEqual(degraded.cluster?.nats, 'connected');
        const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'while the broker is away' } });
        await bobLive.waitFor((events) => messagesIn(events, room.id).some((m) => m.id === message.id), 'the message, from the database');
        await nats.resume();
        const healthy = await untilHealth(third.url, (seen) => seen.status === 'ok', 'ok again');
        assert.equal(healthy.cluster?.nats, 'connected');
        const { message: later } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'the broker is back' } });
        await bobLive.waitFor((events) => messagesIn(events, room.id).some((m) => m.id === later.id), 'the message after the broker returned');
        assert.equal(new Set(bobLive.events.map((event) => event.position)).size, bobLive.events.length, 'no duplicate');
      } finally {
        bobLive.close();
        await third.close();
      }
    });

    test('a session ended and a clearance lowered while the broker is away still end the streams open on another node', async () => {
      const bob = await buildUser(first);
      const carol = await buildUser(first);
      // A node with the usual checks: once the broker is gone it compares its open streams with the database.
      const third = await startServer(nodeConfig());
      const onThird = async (user: typeof bob) => {
        const client = new EnclaveClient({ baseUrl: third.url });
        await client.login(user.username, user.password);
        return rawStreamTo(third.url, client.currentToken!);
      };
      const bobStream = await onThird(bob);
      const carolStream = await onThird(carol);
      const within = (closed: Promise<number>, what: string) =>
        Promise.race([closed, new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} stayed open`)), 30_000).unref())]);
      try {
        await nats.stop();
        await untilHealth(third.url, (seen) => seen.status === 'degraded', 'degraded');
        // Bob signs out of every device, and carol's clearance is lowered, through the first node: no broker carries the news.
        await first.admin.client.endpoint('updateUser')({ params: { userId: carol.user.id }, body: { clearance: 'public' } });
        const bobEverywhere = new EnclaveClient({ baseUrl: first.url });
        await bobEverywhere.login(bob.username, bob.password);
        await bobEverywhere.endpoint('revokeOtherSessions')();
        assert.equal(await within(bobStream.closed, 'bob’s stream'), streamCloseCodes.sessionRevoked);
        assert.equal(await within(carolStream.closed, 'carol’s stream'), streamCloseCodes.permissionsChanged);
      } finally {
        bobStream.close();
        carolStream.close();
        await nats.resume();
        await untilHealth(first.url, (seen) => seen.cluster?.nats === 'connected', 'the first node back on the broker');
        await untilHealth(second.url, (seen) => seen.cluster?.nats === 'connected', 'the second node back on the broker');
        await third.close();
      }
    });

    test('a node started late catches up, and a single node refuses NATS without PostgreSQL', async () => {
      const alice = await buildUser(first);
      const bob = await buildUser(first);
      const room = await buildRoom(first, { owner: alice.client, members: [bob.user] });
      const sent = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'before the third node started' } });
      // Started with the others' long safety net: its first look at the log's head, on connecting, is what catches it up.
      const third = await startServer(nodeConfig(), { clusterResyncMs: HOUR_MS });
      try {
        const bobOnThird = new EnclaveClient({ baseUrl: third.url });
        await bobOnThird.login(bob.username, bob.password);
        const { messages } = await bobOnThird.endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
        assert.ok(messages.some((message) => message.id === sent.message.id));
        const live = await openStream(bobOnThird);
        try {
          const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'after' } });
          await live.waitFor((events) => messagesIn(events, room.id).some((m) => m.id === message.id), 'a message from the first node');
        } finally {
          live.close();
        }
      } finally {
        await third.close();
      }
      assert.throws(() => loadConfig({ ENCLAVE_NATS_URL: nats.url }), /ENCLAVE_NATS_URL: needs DATABASE_URL/);
      assert.throws(() => loadConfig({ ENCLAVE_NATS_URL: 'http://x', DATABASE_URL: 'postgres://x/y' }), /ENCLAVE_NATS_URL: must start with nats:\/\//);
    });
  });
}
