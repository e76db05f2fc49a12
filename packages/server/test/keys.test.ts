import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildRoom, buildUser } from '@enclave/testkit';
import { sql, type Kysely } from 'kysely';
import { SecretBox } from '../src/crypto/secret-box';
import type { Database } from '../src/db/schema';
import { loadConfig, openDatabase, startServer, type Config, type RunningServer } from '../src/index';
import { encryptInPlace, startEncryptionUpgrade } from '../src/keys/encryption-upgrade';
import { rotateMasterKey } from '../src/keys/key-rotation';
import { Keyring, loadMasterKeysFor, roomKeyOwner, type KeyOwner } from '../src/keys/keyring';
import { readKeysStatus } from '../src/keys/keys-status';
import { LocalMasterKey, MasterKeyError, readKeyFile, writeKeyFile } from '../src/keys/master-key';
import { openText, sealText, SEALED_PREFIX } from '../src/keys/sealed';
import type { UpgradeStep } from '../src/keys/upgrade-step';
import { describeEachBackend, startTestServer, testBackends, type TestServer } from './harness';

/** The configuration a second start on the test server's storage uses, with overrides (a wrong key, …). */
function configOf(server: TestServer, overrides: Partial<Config> = {}): Config {
  return loadConfig({}, { port: 0, host: '127.0.0.1', logLevel: 'silent', passwordHashCost: 10, adminPassword: server.admin.password, ...server.storageConfig, ...overrides });
}

/**
 * Everything a start could have written: every file under the data directory (bytes and modification time), and
 * on PostgreSQL a checksum of every table's rows.
 */
async function storageSnapshot(server: TestServer): Promise<Record<string, string>> {
  const snapshot: Record<string, string> = {};
  const walk = (dir: string) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      const stat = statSync(full);
      if (stat.isDirectory()) walk(full);
      else snapshot[path.relative(server.storageConfig.dataDir, full)] = `${createHash('sha256').update(readFileSync(full)).digest('hex')} ${stat.mtimeMs} ${stat.mode}`;
    }
  };
  walk(server.storageConfig.dataDir);
  if (server.storageConfig.databaseUrl) {
    const database = openDatabase(server.storageConfig);
    try {
      const tables = await sql<{ name: string }>`select table_name as name from information_schema.tables where table_schema = 'public' order by table_name`.execute(database.db);
      for (const { name } of tables.rows) {
        const { rows } = await sql<{ sum: string | null }>`select md5(coalesce(string_agg(t::text, '|' order by t::text), '')) as sum from ${sql.table(name)} t`.execute(database.db);
        snapshot[`table ${name}`] = rows[0]?.sum ?? '';
      }
    } finally {
      await database.db.destroy();
    }
  }
  return snapshot;
}

const keyFileOf = (server: TestServer) => path.join(server.storageConfig.dataDir, 'master.key');

for (const backend of testBackends()) {
  describe(`start checks [${backend}]`, () => {
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ backend });
      const owner = await buildUser(server);
      await buildRoom(server, { owner: owner.client });
      await server.running.close();
    });
    after(async () => {
      await server.close();
    });

    test('a fresh installation generated its master key file, readable by its owner only', () => {
      const stat = statSync(keyFileOf(server));
      assert.equal(stat.mode & 0o777, 0o600);
      assert.equal(readKeyFile(keyFileOf(server)).length, 1);
    });

    test('a wrong master key in ENCLAVE_MASTER_KEY stops the start, names the fix, and writes nothing', async () => {
      const snapshot = await storageSnapshot(server);
      await assert.rejects(startServer(configOf(server, { masterKey: randomBytes(32).toString('base64') })), (error: Error) => {
        assert.ok(error instanceof MasterKeyError);
        assert.match(error.message, /from ENCLAVE_MASTER_KEY is not the key this installation's data was encrypted with/);
        assert.match(error.message, /Nothing was written/);
        assert.match(error.message, /ENCLAVE_MASTER_KEY_FILE/);
        return true;
      });
      assert.deepEqual(await storageSnapshot(server), snapshot);
    });

    test('a wrong key in the key file stops the start and writes nothing', async () => {
      const right = readFileSync(keyFileOf(server));
      writeFileSync(keyFileOf(server), `${randomBytes(32).toString('base64')}\n`, { mode: 0o600 });
      try {
        const snapshot = await storageSnapshot(server);
        await assert.rejects(startServer(configOf(server)), /master\.key is not the key this installation's data was encrypted with[^]*Nothing was written/);
        assert.deepEqual(await storageSnapshot(server), snapshot);
      } finally {
        writeFileSync(keyFileOf(server), right, { mode: 0o600 });
      }
    });

    test('a missing key file with encrypted data present stops the start, creates no key, and writes nothing', async () => {
      const right = readFileSync(keyFileOf(server));
      rmSync(keyFileOf(server));
      try {
        const snapshot = await storageSnapshot(server);
        await assert.rejects(startServer(configOf(server)), /data is encrypted, but its master key is missing[^]*Nothing was written/);
        assert.equal(existsSync(keyFileOf(server)), false, 'a new key would hide the loss of the old one');
        assert.deepEqual(await storageSnapshot(server), snapshot);
      } finally {
        writeFileSync(keyFileOf(server), right, { mode: 0o600 });
      }
    });

    test('a key file that lost a key a rotation had not moved off yet stops the start', async () => {
      const database = openDatabase(server.storageConfig);
      try {
        const stranger = new LocalMasterKey(randomBytes(32));
        await database.db.insertInto('data_keys').values({ owner: 'room:orphan', wrapped: await stranger.wrap(randomBytes(32), 'room:orphan'), master_key_id: stranger.id, created_at: Date.now() }).execute();
        await assert.rejects(loadMasterKeysFor(database.db, configOf(server)), /is not the key this installation's data was encrypted with/);
        await database.db.deleteFrom('data_keys').where('owner', '=', 'room:orphan').execute();
      } finally {
        await database.db.destroy();
      }
    });

    test("an older version's secret.key is adopted as the installation's secrets key, and its file removed", async () => {
      const database = openDatabase(server.storageConfig);
      const legacy = randomBytes(32);
      const sealed = new SecretBox(legacy).seal('JBSWY3DPEHPK3PXP', 'a-user-id');
      try {
        // As an installation from before the master key left it: no `secrets` data key, a key file beside the data.
        await database.db.deleteFrom('data_keys').where('owner', '=', 'secrets').execute();
      } finally {
        await database.db.destroy();
      }
      writeFileSync(path.join(server.storageConfig.dataDir, 'secret.key'), `${legacy.toString('base64')}\n`, { mode: 0o600 });
      const running = await startServer(configOf(server));
      try {
        assert.deepEqual(running.services.keys.key('secrets'), legacy);
        assert.equal(new SecretBox(running.services.keys.key('secrets')).open(sealed, 'a-user-id'), 'JBSWY3DPEHPK3PXP', 'what the old key sealed still opens');
        assert.equal(existsSync(path.join(server.storageConfig.dataDir, 'secret.key')), false, 'the master key is the only key outside the database');
      } finally {
        await running.close();
      }
    });

    test('with the right key the installation starts again', async () => {
      await server.restart();
      const health = (await (await fetch(`${server.running.url}/healthz`)).json()) as { status: string; encryption: string };
      assert.equal(health.status, 'ok');
    });
  });
}

/** Keeps creating data keys and sending messages until stopped, like chat going on during a rotation. */
function chatLoad(server: TestServer, roomId: string, client: Awaited<ReturnType<typeof buildUser>>['client']) {
  let running = true;
  const sent: string[] = [];
  const created: KeyOwner[] = [];
  const db = server.running.database.db;
  const keys = server.running.services.keys;
  const loop = (async () => {
    for (let i = 0; running; i += 1) {
      const owner = roomKeyOwner(`load-${i}-${randomBytes(3).toString('hex')}`);
      await keys.keyFor(db, owner);
      created.push(owner);
      const sentMessage = await client.endpoint('sendMessage')({ params: { roomId }, body: { text: `during rotation ${i}` } });
      sent.push(sentMessage.message.id);
    }
  })();
  return {
    sent,
    created,
    async stop() {
      running = false;
      await loop;
    },
  };
}

async function unwrappedKeys(running: RunningServer, owners: readonly KeyOwner[]): Promise<string[]> {
  await running.services.keys.ensure(running.database.db, owners);
  return owners.map((owner) => running.services.keys.key(owner).toString('hex'));
}

async function allOwners(db: Kysely<Database>): Promise<KeyOwner[]> {
  return (await db.selectFrom('data_keys').select('owner').orderBy('owner').execute()).map((row) => row.owner as KeyOwner);
}

describeEachBackend('master key rotation', (server) => {
  test('re-wraps every data key under a new master key while chat goes on, loses nothing, and retires the old key', async () => {
    const alice = await buildUser(server());
    const room = await buildRoom(server(), { owner: alice.client });
    const db = server().running.database.db;
    for (let i = 0; i < 60; i += 1) await server().running.services.keys.keyFor(db, roomKeyOwner(`before-${i}`));
    const oldKeyId = new LocalMasterKey(readKeyFile(keyFileOf(server()))[0]!).id;
    const ownersBefore = await allOwners(db);
    const keysBefore = await unwrappedKeys(server().running, ownersBefore);

    const load = chatLoad(server(), room.id, alice.client);
    const rotation = openDatabase(server().storageConfig);
    let report;
    try {
      report = await rotateMasterKey(rotation.db, { dataDir: server().storageConfig.dataDir }, { batchSize: 7, settleMs: 300 });
    } finally {
      await load.stop();
      await rotation.db.destroy();
    }
    assert.ok(load.sent.length > 0 && load.created.length > 0, 'chat went on during the rotation');
    assert.equal(report.finished, true);
    assert.deepEqual(report.previous, [oldKeyId]);
    assert.notEqual(report.masterKeyId, oldKeyId);

    const file = readKeyFile(keyFileOf(server()));
    assert.equal(file.length, 1, 'the old key is gone from the key file');
    assert.equal(new LocalMasterKey(file[0]!).id, report.masterKeyId);
    assert.equal(statSync(keyFileOf(server())).mode & 0o777, 0o600);
    const wrappers = await db.selectFrom('data_keys').select('master_key_id').distinct().execute();
    assert.deepEqual(wrappers.map((row) => row.master_key_id), [report.masterKeyId], 'every data key, including those created during the rotation, is wrapped by the new key');
    const retired = await db.selectFrom('retired_master_keys').selectAll().execute();
    assert.deepEqual(retired.map((row) => row.master_key_id), [oldKeyId]);
    const audit = await db.selectFrom('audit_log').select(['action', 'data']).where('action', '=', 'keys.rotated').execute();
    assert.equal(audit.length, 1);
    assert.equal(JSON.parse(audit[0]!.data).masterKeyId, report.masterKeyId);

    // A restart with only the new key opens every key, unchanged, and every acknowledged message reads back.
    await server().restart();
    const ownersAfter = [...ownersBefore, ...load.created];
    assert.deepEqual((await unwrappedKeys(server().running, ownersBefore)).slice(), keysBefore, 'the data keys themselves did not change');
    await unwrappedKeys(server().running, ownersAfter);
    await alice.client.login(alice.user.username, alice.password);
    const history = await alice.client.endpoint('listMessages')({ params: { roomId: room.id }, query: { limit: 100 } });
    const read = new Set(history.messages.map((message) => message.id));
    for (const id of load.sent) assert.ok(read.has(id), `message ${id} sent during the rotation reads back`);
  });

  test('a rotation killed midway leaves both keys usable, and running it again finishes it with the same new key', async () => {
    const db = server().running.database.db;
    for (let i = 0; i < 40; i += 1) await server().running.services.keys.keyFor(db, roomKeyOwner(`crash-${i}`));
    const owners = await allOwners(db);
    const keysBefore = await unwrappedKeys(server().running, owners);
    const oldKeyId = new LocalMasterKey(readKeyFile(keyFileOf(server()))[0]!).id;
    const source = { dataDir: server().storageConfig.dataDir };

    const first = openDatabase(server().storageConfig);
    try {
      await assert.rejects(
        rotateMasterKey(first.db, source, {
          batchSize: 10,
          settleMs: 10,
          onProgress: () => {
            throw new Error('killed');
          },
        }),
        /killed/,
      );
    } finally {
      await first.db.destroy();
    }
    const midway = readKeyFile(keyFileOf(server()));
    assert.equal(midway.length, 2, 'the key file holds the new key on top of the old one');
    const newKeyId = new LocalMasterKey(midway[0]!).id;
    const counts = await db.selectFrom('data_keys').select('master_key_id').execute();
    assert.ok(counts.some((row) => row.master_key_id === newKeyId) && counts.some((row) => row.master_key_id === oldKeyId), 'the rotation stopped midway');

    // The installation starts and works in between.
    await server().restart();
    assert.deepEqual(await unwrappedKeys(server().running, owners), keysBefore);
    const status = await readKeysStatus(server().running.database.db, server().running.services.keys.masterKeys, { encrypting: true, acceptsPlain: false, steps: [] });
    assert.equal(status.masterKey.rotationInProgress, true);
    assert.equal(status.masterKey.id, newKeyId);
    assert.deepEqual(status.masterKey.previous, [oldKeyId]);

    const second = openDatabase(server().storageConfig);
    try {
      const report = await rotateMasterKey(second.db, source, { settleMs: 10 });
      assert.equal(report.masterKeyId, newKeyId, 'resumed, not started over');
      assert.equal(report.finished, true);
    } finally {
      await second.db.destroy();
    }
    assert.equal(readKeyFile(keyFileOf(server())).length, 1);
    await server().restart();
    assert.deepEqual(await unwrappedKeys(server().running, owners), keysBefore);
    const after = await readKeysStatus(server().running.database.db, server().running.services.keys.masterKeys, { encrypting: true, acceptsPlain: false, steps: [] });
    assert.equal(after.masterKey.rotationInProgress, false);
    assert.deepEqual(after.dataKeys.byMasterKey.map((row) => [row.masterKeyId, row.state]), [[newKeyId, 'current']]);
    assert.ok(after.retired.some((row) => row.masterKeyId === oldKeyId));
  });

  test('a running server wraps new data keys with the new master key as soon as the key file has it', async () => {
    const db = server().running.database.db;
    const old = readKeyFile(keyFileOf(server()));
    const next = randomBytes(32);
    writeKeyFile(keyFileOf(server()), [next, ...old]);
    await server().running.services.keys.keyFor(db, roomKeyOwner('after-the-file-changed'));
    const row = await db.selectFrom('data_keys').select('master_key_id').where('owner', '=', 'room:after-the-file-changed').executeTakeFirstOrThrow();
    assert.equal(row.master_key_id, new LocalMasterKey(next).id);
    const rotation = openDatabase(server().storageConfig);
    try {
      const report = await rotateMasterKey(rotation.db, { dataDir: server().storageConfig.dataDir }, { settleMs: 10 });
      assert.equal(report.masterKeyId, new LocalMasterKey(next).id, 'a file holding two keys is a rotation to finish');
    } finally {
      await rotation.db.destroy();
    }
  });

  test('with ENCLAVE_MASTER_KEY a rotation needs a new key file, and says so', async () => {
    const masterKey = readFileSync(keyFileOf(server()), 'utf8').trim();
    await assert.rejects(rotateMasterKey(server().running.database.db, { dataDir: server().storageConfig.dataDir, masterKey }), /--new-key-file PATH/);
  });
});

/** A stand-in for a feature's step: seals the rows of a probe table with the installation's `records` key. */
function probeStep(name: string): UpgradeStep {
  return {
    name,
    async remaining(db) {
      const { rows } = await sql<{ n: number | string }>`select count(*) as n from upgrade_probe where body not like ${`${SEALED_PREFIX}%`}`.execute(db);
      return Number(rows[0]!.n);
    },
    async sealBatch(db, keys, limit) {
      const { rows } = await sql<{ id: number; body: string }>`select id, body from upgrade_probe where body not like ${`${SEALED_PREFIX}%`} order by id limit ${limit}`.execute(db);
      for (const row of rows) {
        await sql`update upgrade_probe set body = ${sealText(keys.key('records'), `probe/${row.id}`, row.body)} where id = ${row.id} and body = ${row.body}`.execute(db);
      }
      return rows.length;
    },
  };
}

describeEachBackend('encryption upgrade in place', (server) => {
  test('seals plain rows in batches, resumes after being stopped, then stops accepting plain content', async () => {
    const db = server().running.database.db;
    await server().running.encryptionUpgrade?.done;
    await sql`create table upgrade_probe (id integer primary key, body text not null)`.execute(db);
    for (let id = 1; id <= 45; id += 1) await sql`insert into upgrade_probe (id, body) values (${id}, ${`plain ${id}`})`.execute(db);
    const step = probeStep('probe');
    const options = { encrypting: true, source: { dataDir: server().storageConfig.dataDir }, upgradeSteps: [step.name] };
    const keys = await Keyring.open(db, server().running.services.keys.masterKeys, options);
    assert.equal(keys.acceptsPlain, true, 'a step this installation has not finished yet');

    let batches = 0;
    const stopped = await encryptInPlace(db, keys, [step], { batchSize: 10, shouldStop: () => ++batches > 2 });
    assert.equal(stopped.complete, false);
    assert.equal(await step.remaining(db), 25);
    assert.equal(keys.acceptsPlain, true);

    const progress: number[] = [];
    const finished = await encryptInPlace(db, keys, [step], { batchSize: 10, onProgress: (p) => progress.push(p.sealed) });
    assert.deepEqual(finished, { steps: [{ step: 'probe', sealed: 25, remaining: 0 }], complete: true });
    assert.deepEqual(progress, [0, 10, 20, 25]);
    assert.equal(keys.acceptsPlain, false);
    const { rows } = await sql<{ id: number; body: string }>`select id, body from upgrade_probe order by id`.execute(db);
    assert.deepEqual(
      rows.map((row) => openText(keys.key('records'), `probe/${row.id}`, row.body)),
      rows.map((row) => `plain ${row.id}`),
    );

    // Another start of the same version knows it is done; a version with a new step is not; encryption off resets it.
    assert.equal((await Keyring.open(db, keys.masterKeys, options)).acceptsPlain, false);
    assert.equal((await Keyring.open(db, keys.masterKeys, { ...options, upgradeSteps: ['probe', 'a later step'] })).acceptsPlain, true);
    assert.equal((await Keyring.open(db, keys.masterKeys, { ...options, encrypting: false })).acceptsPlain, true);
    assert.equal((await Keyring.open(db, keys.masterKeys, options)).acceptsPlain, true, 'content written while encryption was off must be sealed again');
  });

  test('runs in the background of a running server and logs its progress', async () => {
    const db = server().running.database.db;
    await sql`insert into upgrade_probe (id, body) values (1001, 'written while encryption was off')`.execute(db);
    const step = probeStep('probe');
    const keys = await Keyring.open(db, server().running.services.keys.masterKeys, { encrypting: true, upgradeSteps: [step.name] });
    const logged: string[] = [];
    const log = { info: (_: object, message: string) => logged.push(message), error: (_: object, message: string) => logged.push(message) };
    const report = await startEncryptionUpgrade(db, keys, [step], log, { logEveryMs: 0, pauseMs: 0 }).done;
    assert.equal(report?.complete, true);
    assert.ok(logged.some((line) => /encrypting stored content: probe/.test(line)));
    assert.ok(logged.some((line) => /encryption upgrade complete/.test(line)));
    assert.equal(keys.acceptsPlain, false);
  });

  test('a fresh installation with nothing from before encryption reports it complete', async () => {
    const health = (await (await fetch(`${server().url}/healthz`)).json()) as { encryption: string };
    assert.equal(health.encryption, 'complete');
  });
});

for (const backend of testBackends()) {
  describe(`master key rotation from ENCLAVE_MASTER_KEY [${backend}]`, () => {
    const environmentKey = randomBytes(32).toString('base64');
    let server: TestServer;
    before(async () => {
      server = await startTestServer({ backend, config: { masterKey: environmentKey } });
    });
    after(async () => {
      await server.close();
    });

    test('writes a new key file, re-wraps everything, and retires the old key once the nodes run on that file', async () => {
      assert.equal(existsSync(keyFileOf(server)), false, 'a key from the environment is not written to disk');
      const newKeyFile = path.join(server.storageConfig.dataDir, 'rotated.key');
      const db = server.running.database.db;
      const owners = await allOwners(db);
      const keysBefore = await unwrappedKeys(server.running, owners);
      const first = await rotateMasterKey(db, { dataDir: server.storageConfig.dataDir, masterKey: environmentKey }, { newKeyFile, settleMs: 10 });
      assert.equal(first.finished, false);
      assert.match(first.next ?? '', /ENCLAVE_MASTER_KEY_FILE=.*rotated\.key/);
      assert.equal(statSync(newKeyFile).mode & 0o777, 0o600);
      assert.deepEqual(readKeyFile(newKeyFile).map((key) => key.toString('base64')).slice(1), [environmentKey], 'the old key stays below the new one');
      // The node still running on ENCLAVE_MASTER_KEY creates keys under the old key meanwhile.
      await server.running.services.keys.keyFor(db, roomKeyOwner('created-on-the-old-key'));

      await server.running.close();
      const running = await startServer(configOf(server, { masterKeyFile: newKeyFile }));
      try {
        const finished = await rotateMasterKey(running.database.db, { dataDir: server.storageConfig.dataDir, masterKeyFile: newKeyFile }, { settleMs: 10 });
        assert.equal(finished.finished, true);
        assert.equal(finished.masterKeyId, first.masterKeyId);
        assert.deepEqual(readKeyFile(newKeyFile).length, 1);
        const wrappers = await running.database.db.selectFrom('data_keys').select('master_key_id').distinct().execute();
        assert.deepEqual(wrappers.map((row) => row.master_key_id), [first.masterKeyId]);
        assert.deepEqual(await unwrappedKeys(running, owners), keysBefore);
      } finally {
        await running.close();
      }
      await assert.rejects(startServer(configOf(server, { masterKey: environmentKey })), /not the key this installation's data was encrypted with/, 'the retired key opens nothing');
    });
  });
}
