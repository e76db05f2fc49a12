import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, beforeEach, describe, test } from 'node:test';
import type { Message } from '@enclave/protocol';
import { EnclaveClient, type SocketFactory } from '@enclave/sdk';
import { buildRoom, buildUser, type Organisation } from '@enclave/testkit';
import pg from 'pg';
import { WebSocket } from 'ws';
import { FIRST_BATCH } from '../src/retention/purge-pacing';
import { createPostgresDatabase, messagesIn, openStream, testBackends, type RecordedStream } from './harness';
import { freePort, NatsProcess } from './nats-process';
import { NodeProcess } from './node-process';

/** What `/healthz` says of a node linked to others. */
interface NodeHealth {
  status: string;
  cluster?: { nats: string; behind: number };
}

type Person = Awaited<ReturnType<typeof buildUser>>;

const NODE_COUNT = 3;
/**
 * The nodes tell each other who is connected this often, so that a killed node's people go offline on the others
 * after three silent roll calls rather than the production half minute.
 */
const PRESENCE_ROLL_CALL_MS = 300;
/** Acknowledged sends each sender makes before a failure, and again after it, so every sender lives through it. */
const SENDS_EACH_SIDE = 5;
const DAY_MS = 86_400_000;

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await pause(25);
  }
}

async function health(url: string): Promise<NodeHealth | undefined> {
  try {
    return (await (await fetch(`${url}/healthz`)).json()) as NodeHealth;
  } catch {
    return undefined;
  }
}

/** A person sending into a room over their stream, one message after another, and what came back acknowledged. */
interface Sender {
  acked: Message[];
  /** Resolves when the sender stops, after its last send is acknowledged; rejects if a send failed. */
  done: Promise<void>;
}

// Nodes share one PostgreSQL database (SQLite is one node's own file), so this suite runs on PostgreSQL only.
if (testBackends().includes('postgres')) {
  describe('nodes that fail: killed, cut off from the broker, started late, killed mid-job', () => {
    let nats: NatsProcess;
    let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
    let dataDir: string;
    let nodes: NodeProcess[] = [];
    let organisation: Organisation;
    let sql: pg.Client;

    before(async () => {
      nats = await NatsProcess.start();
      database = await createPostgresDatabase();
      dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-cluster-failures-'));
      const adminPassword = randomBytes(12).toString('hex');
      // What an operator gives every node: one database, one data directory (files and keys on a shared mount), one broker.
      const env = {
        DATABASE_URL: database.url,
        ENCLAVE_DATA_DIR: dataDir,
        ENCLAVE_NATS_URL: nats.url,
        ENCLAVE_ADMIN_PASSWORD: adminPassword,
        ENCLAVE_PASSWORD_HASH_COST: '10',
        ENCLAVE_LOGIN_ATTEMPTS_PER_MINUTE: '10000',
        ENCLAVE_RETENTION_PURGE_INTERVAL_MINUTES: '0',
        ENCLAVE_LOG_LEVEL: process.env.ENCLAVE_TEST_LOG_LEVEL ?? 'silent',
      };
      const ports = await Promise.all(Array.from({ length: NODE_COUNT }, () => freePort()));
      nodes = ports.map((port) => new NodeProcess(env, port, { presenceRollCallMs: PRESENCE_ROLL_CALL_MS }));
      // The first node migrates the database and writes the keys the others read; then the others start together.
      await nodes[0]!.start();
      await Promise.all(nodes.slice(1).map((node) => node.start()));
      const admin = new EnclaveClient({ baseUrl: nodes[0]!.url });
      await admin.login('admin', adminPassword);
      organisation = { url: nodes[0]!.url, admin: { client: admin } };
      sql = new pg.Client({ connectionString: database.url });
      await sql.connect();
    });

    after(async () => {
      await sql?.end();
      await Promise.all(nodes.map((node) => node.stop()));
      await nats?.stop();
      await database?.drop();
      if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    });

    // Each test starts with every node up and on the broker, whatever the one before it killed.
    beforeEach(async () => {
      await Promise.all(nodes.filter((node) => !node.running).map((node) => node.start()));
      await untilEveryNode((seen) => seen.cluster?.nats === 'connected', 'a broker line');
    });

    async function untilEveryNode(wanted: (health: NodeHealth) => boolean, what: string, of = nodes): Promise<void> {
      await until(async () => (await Promise.all(of.map((node) => health(node.url)))).every((seen) => seen !== undefined && wanted(seen)), `every node to report ${what}`);
    }

    /** A person whose API calls go to one node (their "home"). */
    async function personOn(home: number, role?: 'compliance'): Promise<Person> {
      return buildUser({ ...organisation, url: nodes[home]!.url }, role ? { role } : {});
    }

    function clientOn(person: Person, node: number): EnclaveClient {
      return new EnclaveClient({ baseUrl: nodes[node]!.url, token: person.client.currentToken! });
    }

    /**
     * The sockets of a client that knows every node's address, as behind round-robin DNS: the first connection goes
     * to its home node and each reconnection to the next node, so a client whose node died moves to a live one.
     * `visited` records the node of every connection.
     */
    function roaming(home: number, visited: number[] = []): SocketFactory {
      let attempt = 0;
      return (url) => {
        const node = (home + attempt) % NODE_COUNT;
        attempt += 1;
        visited.push(node);
        const target = new URL(url);
        target.port = String(nodes[node]!.port);
        return new WebSocket(target) as never;
      };
    }

    /** Sends into the room over the person's stream until `stopped`; a send cut off by a failure is resent by the SDK. */
    function startSending(live: RecordedStream, roomId: string, name: string, stopped: () => boolean): Sender {
      const acked: Message[] = [];
      const done = (async () => {
        for (let n = 0; !stopped(); n += 1) acked.push(await live.stream.sendMessage({ roomId, clientId: `${name}-${n}`, text: `${name} says ${n}` }));
      })();
      return { acked, done };
    }

    /** Every message of the room's history, read through the API from one node, oldest first. */
    async function history(client: EnclaveClient, roomId: string): Promise<Message[]> {
      const all: Message[] = [];
      for (let before: string | undefined; ; ) {
        const page = await client.endpoint('listMessages')({ params: { roomId }, query: { limit: 200, ...(before ? { before } : {}) } });
        all.push(...page.messages);
        if (!page.hasMore || page.messages.length === 0) return all.reverse();
        before = page.messages.at(-1)!.id;
      }
    }

    /**
     * The promise of the issue: every acknowledged message is stored exactly once, and every stream saw each of them
     * exactly once, in position order.
     */
    async function assertEveryAcknowledgedMessageOnce(roomId: string, senders: readonly Sender[], streams: readonly RecordedStream[], reader: EnclaveClient): Promise<void> {
      const acked = senders.flatMap((sender) => sender.acked.map((message) => message.id));
      assert.equal(new Set(acked).size, acked.length, 'each send acknowledged as a message of its own');
      const stored = (await history(reader, roomId)).map((message) => message.id);
      assert.equal(stored.length, new Set(stored).size, 'no message stored twice');
      assert.deepEqual([...stored].sort(), [...acked].sort(), 'the history holds every acknowledged message and nothing else');
      for (const live of streams) {
        await live.waitFor((events) => messagesIn(events, roomId).length >= acked.length, `all ${acked.length} messages on a stream`, 20_000);
        const seen = messagesIn(live.events, roomId).map((message) => message.id);
        assert.equal(seen.length, new Set(seen).size, 'no message delivered twice');
        assert.deepEqual([...seen].sort(), [...acked].sort(), 'every acknowledged message delivered');
        const positions = live.events.map((event) => event.position);
        assert.deepEqual(positions, [...positions].sort((a, b) => a - b), 'in position order');
        assert.equal(new Set(positions).size, positions.length, 'no position twice');
      }
    }

    test('a node killed under a send load: its clients resume on another node, and every acknowledged message is there once', async () => {
      const people = await Promise.all(Array.from({ length: 6 }, (_, index) => personOn(index % NODE_COUNT)));
      const room = await buildRoom(organisation, { owner: people[0]!.client, members: people.slice(1).map((person) => person.user) });
      const visits = people.map(() => [] as number[]);
      const streams = await Promise.all(people.map((person, index) => openStream(person.client, { socketFactory: roaming(index % NODE_COUNT, visits[index]) })));
      let stopped = false;
      const senders = streams.map((live, index) => startSending(live, room.id, `person${index}`, () => stopped));
      try {
        await until(() => senders.every((sender) => sender.acked.length >= SENDS_EACH_SIDE), 'sends before the kill');
        await nodes[2]!.kill();
        const afterKill = senders.map((sender) => sender.acked.length);
        await until(() => senders.every((sender, index) => sender.acked.length >= afterKill[index]! + SENDS_EACH_SIDE), 'sends after the kill');
      } finally {
        stopped = true;
        await Promise.all(senders.map((sender) => sender.done));
      }
      try {
        await assertEveryAcknowledgedMessageOnce(room.id, senders, streams, clientOn(people[0]!, 0));
        for (const [index, visited] of visits.entries()) {
          if (index % NODE_COUNT === 2) assert.notEqual(visited.at(-1), 2, 'a client of the killed node moved to another');
          else assert.deepEqual(visited, [index % NODE_COUNT], 'a client of a live node stayed connected');
        }
      } finally {
        for (const live of streams) live.close();
      }
    });

    test('the broker away for ten seconds under a send load: nodes say they are degraded, delivery goes on, nothing is lost', async () => {
      const people = await Promise.all(Array.from({ length: 6 }, (_, index) => personOn(index % NODE_COUNT)));
      const room = await buildRoom(organisation, { owner: people[0]!.client, members: people.slice(1).map((person) => person.user) });
      const streams = await Promise.all(people.map((person, index) => openStream(person.client, { socketFactory: roaming(index % NODE_COUNT) })));
      let stopped = false;
      const senders = streams.map((live, index) => startSending(live, room.id, `person${index}`, () => stopped));
      try {
        await until(() => senders.every((sender) => sender.acked.length >= SENDS_EACH_SIDE), 'sends before the broker went');
        await nats.stop();
        await untilEveryNode((seen) => seen.status === 'degraded' && seen.cluster?.nats !== 'connected', 'degraded');
        const whenAway = senders.map((sender) => sender.acked.length);
        // Every node delivers every other node's messages from the database while the broker is away.
        const reachedEveryStream = (sender: Sender, index: number) => {
          const sentWhileAway = new Set(sender.acked.slice(whenAway[index]).map((message) => message.id));
          return streams.every((live) => messagesIn(live.events, room.id).some((message) => sentWhileAway.has(message.id)));
        };
        await until(() => senders.every(reachedEveryStream), 'each sender’s messages on every stream without the broker');
        await pause(10_000);
        await nats.resume();
        await untilEveryNode((seen) => seen.status === 'ok' && seen.cluster?.nats === 'connected', 'ok again');
        const afterReturn = senders.map((sender) => sender.acked.length);
        await until(() => senders.every((sender, index) => sender.acked.length >= afterReturn[index]! + SENDS_EACH_SIDE), 'sends after the broker came back');
      } finally {
        stopped = true;
        await Promise.all(senders.map((sender) => sender.done));
      }
      try {
        await assertEveryAcknowledgedMessageOnce(room.id, senders, streams, clientOn(people[0]!, 1));
        await untilEveryNode((seen) => seen.cluster?.behind === 0, 'nothing left to deliver');
      } finally {
        for (const live of streams) live.close();
      }
    });

    test('a node started late, under a send load, catches up: its clients resume from before it started and miss nothing', async () => {
      await nodes[2]!.stop();
      const [alice, bob, carol] = await Promise.all([personOn(0), personOn(1), personOn(0)]);
      const room = await buildRoom(organisation, { owner: alice.client, members: [bob.user, carol.user] });
      const streams = await Promise.all([openStream(alice.client, { socketFactory: roaming(0) }), openStream(bob.client, { socketFactory: roaming(1) })]);
      const resumeFrom = streams[0]!.stream.position!;
      let stopped = false;
      const senders = streams.map((live, index) => startSending(live, room.id, `sender${index}`, () => stopped));
      let carolOnLateNode: RecordedStream | undefined;
      try {
        await until(() => senders.every((sender) => sender.acked.length >= SENDS_EACH_SIDE), 'sends before the late node');
        // The load goes on while the node starts: what is committed between its first look at the log and its broker line must reach it too.
        await nodes[2]!.start();
        carolOnLateNode = await openStream(clientOn(carol, 2), { after: resumeFrom, socketFactory: roaming(2) });
        const started = senders.map((sender) => sender.acked.length);
        await until(() => senders.every((sender, index) => sender.acked.length >= started[index]! + SENDS_EACH_SIDE), 'sends after the late node started');
      } finally {
        stopped = true;
        await Promise.all(senders.map((sender) => sender.done));
      }
      try {
        await assertEveryAcknowledgedMessageOnce(room.id, senders, [...streams, carolOnLateNode!], clientOn(carol, 2));
      } finally {
        for (const live of [...streams, carolOnLateNode]) live?.close();
      }
    });

    test('the retention purge of a node killed mid-run is finished by another node', async () => {
      const officer = await personOn(1, 'compliance');
      const alice = await personOn(0);
      const room = await buildRoom(organisation, { owner: alice.client, members: [] });
      const expired: string[] = [];
      // More than the purge's first batch, so that a batch is erased before the one held below.
      while (expired.length < FIRST_BATCH + 50) {
        const sent = await Promise.all(Array.from({ length: 10 }, (_, i) => alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `old ${expired.length + i}` } })));
        expired.push(...sent.map(({ message }) => message.id));
      }
      await sql.query('update messages set created_at = $1 where id = any($2)', [Date.now() - 30 * DAY_MS, expired]);
      const { message: recent } = await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'recent, kept' } });
      // Kept at least a day: the purge then weighs only messages older than that, these, whatever the earlier tests sent.
      await officer.client.endpoint('setRetention')({ body: { scope: 'room', targetId: room.id, deleteAfterDays: 2, keepAtLeastDays: 1 } });
      const left = async () => Number((await sql.query<{ n: string }>('select count(*) as n from messages where id = any($1)', [expired])).rows[0]!.n);

      // Another writer holds the last expired message, so the purge is certain to be mid-run, past its first batches, when its node dies.
      const holder = new pg.Client({ connectionString: database.url });
      await holder.connect();
      try {
        await holder.query('begin');
        await holder.query('select id from messages where id = any($1) order by position desc limit 1 for update', [expired]);
        const killedRun = clientOn(officer, 1).endpoint('runPurge')().then(
          () => 'answered',
          () => 'cut off',
        );
        await until(async () => (await left()) < expired.length, 'the first batches erased');
        await until(async () => Number((await sql.query<{ n: string }>("select count(*) as n from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'")).rows[0]!.n) > 0, 'the purge waiting on the held message');
        const takenAtKill = expired.length - (await left());
        // The other node's run waits for the first: one run at a time across nodes.
        const finishingRun = (async () => {
          const survivor = clientOn(officer, 2);
          for (let run = await survivor.endpoint('runPurge')(); ; run = await survivor.endpoint('runPurge')()) if (run.finished) return run;
        })();
        await nodes[1]!.kill();
        await holder.query('rollback');
        assert.equal(await killedRun, 'cut off', 'the run died with its node');
        assert.ok(takenAtKill > 0 && takenAtKill < expired.length, 'killed mid-run');
        const finished = await finishingRun;
        assert.equal(finished.finished, true);
        assert.equal(await left(), 0, 'every expired message erased');
        const { messages } = await clientOn(alice, 0).endpoint('listMessages')({ params: { roomId: room.id }, query: {} });
        assert.deepEqual(
          messages.map((message) => message.id),
          [recent.id],
          'the history keeps only what retention keeps',
        );
      } finally {
        await holder.end();
        await officer.client.endpoint('removeRetention')({ body: { scope: 'room', targetId: room.id } }).catch(() => undefined);
      }
    });

    test('a killed node’s people go offline on the other nodes once it misses its roll calls', async () => {
      const [watcherOnFirst, watcherOnSecond, bob] = await Promise.all([personOn(0), personOn(1), personOn(2)]);
      const watchers = await Promise.all([openStream(watcherOnFirst.client), openStream(watcherOnSecond.client)]);
      // Bob's client knows only his node: once it is dead he has no connection anywhere.
      const bobLive = await openStream(bob.client);
      const heard = (status: string) => (frames: RecordedStream['ephemeral']) => frames.some((frame) => frame.type === 'presence' && frame.userId === bob.user.id && frame.status === status);
      try {
        for (const watcher of watchers) {
          watcher.stream.watchPresence([bob.user.id]);
          await watcher.waitForEphemeral(heard('online'), 'bob online on another node');
        }
        await nodes[2]!.kill();
        for (const watcher of watchers) {
          await watcher.waitForEphemeral((frames) => {
            const last = frames.filter((frame) => frame.type === 'presence' && frame.userId === bob.user.id).at(-1);
            return last?.type === 'presence' && last.status === 'offline';
          }, 'bob offline after his node died', 20_000);
        }
      } finally {
        bobLive.close();
        for (const watcher of watchers) watcher.close();
      }
    });
  });
}
