import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, afterEach, before, describe, test } from 'node:test';
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

/** Waits until the condition holds; `what` names it, and may describe what was seen instead when it never does. */
async function until(condition: () => boolean | Promise<boolean>, what: string | (() => string), timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${typeof what === 'string' ? what : what()}`);
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

/** A person sending into a room over their stream, and what came back acknowledged. */
interface Sender {
  acked: Message[];
  /** Resolves when the sender stops, after its last send is acknowledged; rejects if a send failed. */
  done: Promise<void>;
}

interface SendLoad {
  senders: Sender[];
  /** Waits until every sender has had `count` more sends acknowledged. */
  more(count: number, what: string): Promise<void>;
  /** Stops every sender and waits for its last send's acknowledgement. */
  stop(): Promise<void>;
  /** Stops every sender without waiting (after a failed test). */
  abandon(): void;
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
    let opened: RecordedStream[] = [];
    let loads: SendLoad[] = [];
    let brokerAway = false;

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

    /**
     * Starts the nodes a test needs that an earlier test killed, and waits until they are on the broker. A test
     * asks only for the nodes it uses, so one that wants a node down finds it as the test before left it.
     */
    async function nodesUp(...wanted: number[]): Promise<void> {
      const needed = wanted.map((index) => nodes[index]!);
      await Promise.all(needed.filter((node) => !node.running).map((node) => node.start()));
      await untilEveryNode((seen) => seen.cluster?.nats === 'connected', 'a broker line', needed);
    }

    afterEach(async () => {
      for (const load of loads.splice(0)) load.abandon();
      for (const live of opened.splice(0)) live.close();
      if (brokerAway) await nats.resume();
      brokerAway = false;
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

    /** Opens a stream that is closed after the test, whether it passed or not, so that none goes on reconnecting. */
    async function streamOf(client: EnclaveClient, options: Parameters<typeof openStream>[1] = {}): Promise<RecordedStream> {
      const live = await openStream(client, options);
      opened.push(live);
      return live;
    }

    /**
     * People sending into a room over their streams, each one message after another, until stopped. A send cut off
     * by a failure stays pending in the SDK, which sends it again, with its client id, once the stream is back.
     */
    function startLoad(roomId: string, streams: readonly RecordedStream[]): SendLoad {
      let stopped = false;
      const senders = streams.map((live, index): Sender => {
        const acked: Message[] = [];
        const done = (async () => {
          for (let n = 0; !stopped; n += 1) acked.push(await live.stream.sendMessage({ roomId, clientId: `sender${index}-${n}`, text: `sender ${index} says ${n}` }));
        })();
        // Awaited by `stop`; after a failed test the streams close under it, and that rejection is expected.
        done.catch(() => undefined);
        return { acked, done };
      });
      const load: SendLoad = {
        senders,
        async more(count, what) {
          const from = senders.map((sender) => sender.acked.length);
          await until(() => senders.every((sender, index) => sender.acked.length >= from[index]! + count), what);
        },
        async stop() {
          stopped = true;
          await Promise.all(senders.map((sender) => sender.done));
        },
        abandon() {
          stopped = true;
        },
      };
      loads.push(load);
      return load;
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
    async function assertEveryAcknowledgedMessageOnce(roomId: string, load: SendLoad, streams: readonly RecordedStream[], reader: EnclaveClient): Promise<void> {
      const acked = load.senders.flatMap((sender) => sender.acked.map((message) => message.id));
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
      await nodesUp(0, 1, 2);
      const people = await Promise.all(Array.from({ length: 6 }, (_, index) => personOn(index % NODE_COUNT)));
      const room = await buildRoom(organisation, { owner: people[0]!.client, members: people.slice(1).map((person) => person.user) });
      const visits = people.map(() => [] as number[]);
      const streams = await Promise.all(people.map((person, index) => streamOf(person.client, { socketFactory: roaming(index % NODE_COUNT, visits[index]) })));
      const load = startLoad(room.id, streams);
      await load.more(SENDS_EACH_SIDE, 'sends before the kill');
      await nodes[2]!.kill();
      await load.more(SENDS_EACH_SIDE, 'sends after the kill');
      await load.stop();
      await assertEveryAcknowledgedMessageOnce(room.id, load, streams, clientOn(people[0]!, 0));
      for (const [index, visited] of visits.entries()) {
        if (index % NODE_COUNT === 2) assert.notEqual(visited.at(-1), 2, 'a client of the killed node moved to another');
        else assert.deepEqual(visited, [index % NODE_COUNT], 'a client of a live node stayed connected');
      }
    });

    test('the broker away for ten seconds under a send load: nodes say they are degraded, delivery goes on, nothing is lost', async () => {
      await nodesUp(0, 1, 2);
      const people = await Promise.all(Array.from({ length: 6 }, (_, index) => personOn(index % NODE_COUNT)));
      const room = await buildRoom(organisation, { owner: people[0]!.client, members: people.slice(1).map((person) => person.user) });
      const streams = await Promise.all(people.map((person, index) => streamOf(person.client, { socketFactory: roaming(index % NODE_COUNT) })));
      // Nobody on the last node sends: a node's own commits fill its gaps from the database, and this one has none,
      // so only its regular look at the log's head can bring it the others' messages while the broker is away.
      const load = startLoad(room.id, streams.filter((_, index) => index % NODE_COUNT !== NODE_COUNT - 1));
      await load.more(SENDS_EACH_SIDE, 'sends before the broker went');
      brokerAway = true;
      await nats.stop();
      await untilEveryNode((seen) => seen.status === 'degraded' && seen.cluster?.nats !== 'connected', 'degraded');
      const whenAway = load.senders.map((sender) => sender.acked.length);
      const reachedEveryStream = (sender: Sender, index: number) => {
        const sentWhileAway = new Set(sender.acked.slice(whenAway[index]).map((message) => message.id));
        return streams.every((live) => messagesIn(live.events, room.id).some((message) => sentWhileAway.has(message.id)));
      };
      const seenWhileAway = () => {
        const counts = load.senders.map((sender, index) => `sender ${index}: ${sender.acked.length - whenAway[index]!} sent, seen on streams ${streams.map((live) => messagesIn(live.events, room.id).filter((message) => sender.acked.slice(whenAway[index]).some((sent) => sent.id === message.id)).length).join('/')}`);
        return `each sender’s messages on every stream without the broker (${counts.join('; ')})`;
      };
      await until(() => load.senders.every(reachedEveryStream), seenWhileAway);
      await pause(10_000);
      await nats.resume();
      brokerAway = false;
      await untilEveryNode((seen) => seen.status === 'ok' && seen.cluster?.nats === 'connected', 'ok again');
      await load.more(SENDS_EACH_SIDE, 'sends after the broker came back');
      await load.stop();
      await assertEveryAcknowledgedMessageOnce(room.id, load, streams, clientOn(people[0]!, 1));
      await untilEveryNode((seen) => seen.cluster?.behind === 0, 'nothing left to deliver');
    });

    test('a killed node’s people go offline on the other nodes once it misses its roll calls', async () => {
      await nodesUp(0, 1, 2);
      const [watcherOnFirst, watcherOnSecond, bob] = await Promise.all([personOn(0), personOn(1), personOn(2)]);
      const watchers = await Promise.all([streamOf(watcherOnFirst.client), streamOf(watcherOnSecond.client)]);
      // Bob's client knows only his node: once it is dead he has no connection anywhere.
      await streamOf(bob.client);
      const lastHeardOfBob = (frames: RecordedStream['ephemeral']) => frames.flatMap((frame) => (frame.type === 'presence' && frame.userId === bob.user.id ? [frame] : [])).at(-1);
      for (const watcher of watchers) {
        watcher.stream.watchPresence([bob.user.id]);
        await watcher.waitForEphemeral((frames) => lastHeardOfBob(frames)?.status === 'online', 'bob online on another node');
      }
      await nodes[2]!.kill();
      for (const watcher of watchers) await watcher.waitForEphemeral((frames) => lastHeardOfBob(frames)?.status === 'offline', 'bob offline after his node died', 20_000);
    });

    test('a node started late, under a send load, catches up: its clients resume from before it started and miss nothing', async () => {
      await nodesUp(0, 1);
      await nodes[2]!.stop();
      const [alice, bob, carol] = await Promise.all([personOn(0), personOn(1), personOn(0)]);
      const room = await buildRoom(organisation, { owner: alice.client, members: [bob.user, carol.user] });
      const streams = await Promise.all([streamOf(alice.client, { socketFactory: roaming(0) }), streamOf(bob.client, { socketFactory: roaming(1) })]);
      const resumeFrom = streams[0]!.stream.position!;
      const load = startLoad(room.id, streams);
      await load.more(SENDS_EACH_SIDE, 'sends before the late node');
      // The load goes on while the node starts: what is committed between its first look at the log and its broker
      // line must reach it too.
      await nodes[2]!.start();
      const carolOnLateNode = await streamOf(clientOn(carol, 2), { after: resumeFrom, socketFactory: roaming(2) });
      await load.more(SENDS_EACH_SIDE, 'sends after the late node started');
      await load.stop();
      await assertEveryAcknowledgedMessageOnce(room.id, load, [...streams, carolOnLateNode], clientOn(carol, 2));
    });

    test('the retention purge of a node killed mid-run is finished by another node, and every message it erased is audited', async () => {
      await nodesUp(0, 1, 2);
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
        // What the dead run erased is audited too, by the run that found its counts, marked interrupted.
        const entries = (await sql.query<{ data: string }>("select data from audit_log where action = 'retention.purged'")).rows.map((row) => JSON.parse(row.data) as { interrupted?: boolean; rooms: { roomId: string; messages: number }[] });
        const counted = (which: (entry: (typeof entries)[number]) => boolean) => entries.filter(which).flatMap((entry) => entry.rooms).filter((count) => count.roomId === room.id).reduce((total, count) => total + count.messages, 0);
        assert.equal(counted(() => true), expired.length, 'each erased message counted once in the audit log');
        assert.equal(counted((entry) => entry.interrupted === true), takenAtKill, 'the dead run’s share, audited as interrupted');
      } finally {
        await holder.end();
        await officer.client.endpoint('removeRetention')({ body: { scope: 'room', targetId: room.id } }).catch(() => undefined);
      }
    });
  });
}
