import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { buildRoom, buildUser } from '@enclave/testkit';
import { ConfigError, loadConfig } from '../src/config';
import { startServer } from '../src/index';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream, startTestServer, testBackends } from './harness';
import { SmtpSink } from './smtp-sink';

const MINUTE = 60_000;
/** A Monday at 10:00 UTC: everyone is at work under the organisation's hours, set to UTC below. */
let now = Date.parse('2026-03-30T10:00:00.000Z');
const clock = { now: () => now };
const sink = new SmtpSink();
await sink.start();
after(async () => sink.stop());

const smtpConfig = { publicUrl: 'https://chat.example.test', smtpHost: '127.0.0.1', smtpPort: sink.port, smtpSecurity: 'none', smtpFrom: 'Enclave <chat@example.test>' } as const;
let addressCounter = 0;

describeEachBackend(
  'e-mail notifications',
  (server) => {
    const admin = () => server().admin.client;
    const job = () => server().running.services.emailDigests!;
    /** Someone with an address an administrator set, and the digests switched on for the organisation. */
    const person = async (name = 'room') => {
      const someone = await buildUser(server());
      addressCounter += 1;
      const address = `person${addressCounter}@example.test`;
      await admin().endpoint('setUserEmailAddress')({ params: { userId: someone.user.id }, body: { address } });
      return { ...someone, address, name };
    };
    /** The job finds what waits, then the delay passes and it looks again. */
    const waitOutTheDelay = async () => {
      await job().poke();
      now += 15 * MINUTE;
      await job().poke();
    };

    before(async () => {
      await admin().endpoint('setWorkHoursPolicy')({ body: { organisation: { hours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }, timeZone: 'UTC' } } });
      const { settings } = await admin().endpoint('updateAdminSettings')({ body: { emailNotifications: { enabled: true, delayMinutes: 15, namesRooms: true } } });
      assert.equal(settings.emailNotifications.enabled, true);
    });

    test('a mention while away brings one digest after the delay: counts and room names, never the text', async () => {
      const alice = await person();
      const bob = await person();
      const room = await buildRoom(server(), { owner: alice.client, kind: 'channel', name: 'launch-plans', members: [bob.user] });
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `@${bob.username} the secret codename is BLUEBIRD` } });
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `@${bob.username} and the budget is 4.2M` } });

      await job().poke();
      now += 14 * MINUTE;
      await job().poke();
      assert.deepEqual(sink.to(bob.address), [], 'nothing before the delay has passed');
      now += MINUTE;
      await job().poke();
      await job().poke();
      const mails = sink.to(bob.address);
      assert.equal(mails.length, 1, 'one digest, however often the job looks');
      const [mail] = mails;
      assert.equal(mail!.subject, 'Enclave: 2 new mentions');
      assert.match(mail!.text ?? '', /2 mentions in 1 room: #launch-plans/);
      assert.match(mail!.text ?? '', /https:\/\/chat\.example\.test\//);
      assert.ok(!/BLUEBIRD|4\.2M|budget|codename/.test(`${mail!.subject}\n${mail!.text}\n${mail!.html || ''}`), 'no message text');
      assert.ok(!(mail!.text ?? '').includes(alice.user.displayName), 'not even who wrote');
      assert.deepEqual(sink.to(alice.address), [], 'the sender is not told about their own message');

      const audited = await server().running.database.db.selectFrom('audit_log').select(['data', 'target_id']).where('action', '=', 'email.digest_sent').where('target_id', '=', bob.user.id).execute();
      assert.equal(audited.length, 1);
      assert.deepEqual(JSON.parse(audited[0]!.data), { mentions: 2, mentionRooms: 1, directMessages: 0, conversations: 0 });
    });

    test('direct messages count too, and a room above internal is counted but never named', async () => {
      const alice = await person();
      const bob = await person();
      const { room: dm } = await alice.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [bob.user.id] } });
      await alice.client.endpoint('sendMessage')({ params: { roomId: dm.id }, body: { text: 'are you free at 3?' } });
      await admin().endpoint('updateUser')({ params: { userId: alice.user.id }, body: { clearance: 'confidential' } });
      await admin().endpoint('updateUser')({ params: { userId: bob.user.id }, body: { clearance: 'confidential' } });
      const secretRoom = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'merger-target-acme', memberIds: [bob.user.id], ceiling: 'confidential' } });
      await alice.client.endpoint('sendMessage')({ params: { roomId: secretRoom.room.id }, body: { text: `@${bob.username} look` } });

      await waitOutTheDelay();
      const [mail] = sink.to(bob.address);
      assert.equal(mail?.subject, 'Enclave: 1 new mention, 1 direct message');
      assert.match(mail!.text ?? '', /1 mention in 1 room\n/);
      assert.match(mail!.text ?? '', /1 direct message in 1 conversation/);
      assert.ok(!(mail!.text ?? '').includes('merger'), 'the confidential room is not named');
      assert.ok(!/confidential/i.test(mail!.text ?? ''), 'nor its label');
    });

    test('nothing for a muted room, for what was read, or while the person was connected', async () => {
      const alice = await person();
      const bob = await person();
      const muted = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
      await bob.client.endpoint('muteRoom')({ params: { roomId: muted.id }, body: { muted: true } });
      await alice.client.endpoint('sendMessage')({ params: { roomId: muted.id }, body: { text: `@${bob.username} in a muted room` } });
      const read = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
      const { message } = await alice.client.endpoint('sendMessage')({ params: { roomId: read.id }, body: { text: `@${bob.username} read this` } });
      await bob.client.endpoint('markRead')({ params: { roomId: read.id }, body: { messageId: message.id } });
      await waitOutTheDelay();
      assert.deepEqual(sink.to(bob.address), []);

      const bobLive = await openStream(bob.client);
      await alice.client.endpoint('sendMessage')({ params: { roomId: read.id }, body: { text: `@${bob.username} while you are here` } });
      await waitOutTheDelay();
      bobLive.close();
      await waitOutTheDelay();
      await waitOutTheDelay();
      assert.deepEqual(sink.to(bob.address), [], 'what was there while connected counts as seen, also after leaving');
    });

    test('nobody gets one after switching them off, and switching back on starts from then', async () => {
      const alice = await person();
      const bob = await person();
      const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
      const off = await bob.client.endpoint('updateMyEmailNotifications')({ body: { enabled: false } });
      assert.deepEqual(off, { address: bob.address, enabled: false, active: false });
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `@${bob.username} hello?` } });
      await waitOutTheDelay();
      assert.deepEqual(sink.to(bob.address), []);

      const on = await bob.client.endpoint('updateMyEmailNotifications')({ body: { enabled: true } });
      assert.deepEqual(on, { address: bob.address, enabled: true, active: true });
      await waitOutTheDelay();
      assert.deepEqual(sink.to(bob.address), [], 'what came while they were off is not mailed later');
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `@${bob.username} now?` } });
      await waitOutTheDelay();
      assert.equal(sink.to(bob.address).length, 1);
    });

    test('off work the digest waits until the person is back at work', async () => {
      const alice = await person();
      const bob = await person();
      const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
      now = Date.parse('2026-03-31T17:50:00.000Z');
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `@${bob.username} tomorrow?` } });
      await waitOutTheDelay();
      now += 6 * 60 * MINUTE;
      await job().poke();
      assert.deepEqual(sink.to(bob.address), [], 'not in the evening or at night');
      now = Date.parse('2026-04-01T09:00:00.000Z');
      await job().poke();
      assert.equal(sink.to(bob.address).length, 1, 'at the start of the working day');
    });

    test('with the SMTP server down the digest goes later, once, and nothing is lost', async () => {
      const alice = await person();
      const bob = await person();
      const room = await buildRoom(server(), { owner: alice.client, members: [bob.user] });
      await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `@${bob.username} one` } });
      await sink.stop();
      try {
        await waitOutTheDelay();
        await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `@${bob.username} two` } });
        const row = await server().running.database.db.selectFrom('email_digests').select(['failures', 'retry_at']).where('user_id', '=', bob.user.id).executeTakeFirstOrThrow();
        assert.equal(Number(row.failures), 1);
        await job().poke();
        assert.equal(Number((await server().running.database.db.selectFrom('email_digests').select('failures').where('user_id', '=', bob.user.id).executeTakeFirstOrThrow()).failures), 1, 'no new attempt before the back-off ends');
      } finally {
        await sink.start();
      }
      now += MINUTE;
      await server().restart();
      await job().poke();
      await job().poke();
      const mails = sink.to(bob.address);
      assert.equal(mails.length, 1, 'one digest after the relay is back, across a restart');
      assert.equal(mails[0]!.subject, 'Enclave: 2 new mentions', 'with what came meanwhile');
    });

    test('an administrator sets addresses, sees the SMTP settings without secrets, and tests them', async () => {
      const alice = await buildUser(server());
      await rejectsWith(alice.client.endpoint('setUserEmailAddress')({ params: { userId: alice.user.id }, body: { address: 'me@private.example' } }), 'ADMIN_REQUIRED', 403);
      await rejectsWith(admin().endpoint('setUserEmailAddress')({ params: { userId: alice.user.id }, body: { address: 'not an address' } }), 'VALIDATION_FAILED', 400);
      const status = await admin().endpoint('getEmailNotificationsStatus')();
      assert.deepEqual(status.smtp, { configured: true, host: '127.0.0.1', port: sink.port, security: 'none', from: 'Enclave <chat@example.test>', authenticated: false });

      await rejectsWith(admin().endpoint('sendTestEmail')({ body: {} }), 'EMAIL_ADDRESS_MISSING', 409);
      const it = `it-${server().backend}@example.test`;
      await admin().endpoint('setUserEmailAddress')({ params: { userId: server().admin.user.id }, body: { address: it } });
      assert.deepEqual(await admin().endpoint('sendTestEmail')({ body: {} }), { sentTo: it });
      assert.equal(sink.to(it).length, 1);
      await sink.stop();
      try {
        const failed = await rejectsWith(admin().endpoint('sendTestEmail')({ body: {} }), 'EMAIL_DELIVERY_FAILED', 502);
        assert.match(String(failed.data?.reason), /ECONNECTION|ECONNREFUSED/);
      } finally {
        await sink.start();
      }
    });
  },
  smtpConfig,
  { clock },
);

// Several nodes share one PostgreSQL database; one SQLite file is one node, so there is nothing to run twice there.
if (testBackends().includes('postgres')) {
  describe('e-mail notifications on two nodes [postgres]', () => {
    test('two nodes looking at once send a digest once', async () => {
      const first = await startTestServer({ backend: 'postgres', config: smtpConfig, build: { clock } });
      const second = await startServer(loadConfig({}, { ...first.storageConfig, ...smtpConfig, port: 0, host: '127.0.0.1', logLevel: 'silent', passwordHashCost: 10 }), { clock });
      try {
        await first.admin.client.endpoint('updateAdminSettings')({ body: { emailNotifications: { enabled: true, delayMinutes: 15, namesRooms: true } } });
        await first.admin.client.endpoint('setWorkHoursPolicy')({ body: { organisation: { hours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }, timeZone: 'UTC' } } });
        const alice = await buildUser(first);
        const bob = await buildUser(first);
        await first.admin.client.endpoint('setUserEmailAddress')({ params: { userId: bob.user.id }, body: { address: 'bob-two-nodes@example.test' } });
        const room = await buildRoom(first, { owner: alice.client, members: [bob.user] });
        await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `@${bob.username} both nodes` } });
        const both = () => Promise.all([first.running.services.emailDigests!.poke(), second.services.emailDigests!.poke()]);
        await both();
        now += 15 * MINUTE;
        await both();
        await both();
        assert.equal(sink.to('bob-two-nodes@example.test').length, 1);
      } finally {
        await second.close();
        await first.close();
      }
    });
  });
}

describeEachBackend('e-mail notifications without SMTP', (server) => {
  test('are off, and cannot be turned on', async () => {
    await rejectsWith(server().admin.client.endpoint('updateAdminSettings')({ body: { emailNotifications: { enabled: true, delayMinutes: 15, namesRooms: true } } }), 'EMAIL_NOT_CONFIGURED', 409);
    const { settings } = await server().admin.client.endpoint('getAdminSettings')();
    assert.deepEqual(settings.emailNotifications, { enabled: false, delayMinutes: 15, namesRooms: true });
    assert.equal(server().running.services.emailDigests, undefined);
    const status = await server().admin.client.endpoint('getEmailNotificationsStatus')();
    assert.equal(status.smtp.configured, false);
  });
});

test('a bad SMTP configuration stops the start, naming what to fix, never echoing the password', () => {
  const bad = (env: Record<string, string>) => {
    try {
      loadConfig(env);
    } catch (error) {
      assert.ok(error instanceof ConfigError);
      return error.message;
    }
    assert.fail('the configuration was accepted');
  };
  const base = { ENCLAVE_PUBLIC_URL: 'https://chat.example.test' };
  assert.match(bad({ ...base, ENCLAVE_SMTP_HOST: 'relay.example.test' }), /ENCLAVE_SMTP_FROM: needed/);
  assert.match(bad({ ENCLAVE_SMTP_HOST: 'relay.example.test', ENCLAVE_SMTP_FROM: 'chat@example.test' }), /ENCLAVE_PUBLIC_URL: needed/);
  assert.match(bad({ ...base, ENCLAVE_SMTP_HOST: 'relay', ENCLAVE_SMTP_FROM: 'not-an-address' }), /ENCLAVE_SMTP_FROM: an address/);
  assert.match(bad({ ...base, ENCLAVE_SMTP_HOST: 'relay', ENCLAVE_SMTP_FROM: 'chat@example.test', ENCLAVE_SMTP_PORT: 'smtp' }), /ENCLAVE_SMTP_PORT/);
  assert.match(bad({ ...base, ENCLAVE_SMTP_HOST: 'relay', ENCLAVE_SMTP_FROM: 'chat@example.test', ENCLAVE_SMTP_SECURITY: 'ssl' }), /ENCLAVE_SMTP_SECURITY/);
  const clear = bad({ ...base, ENCLAVE_SMTP_HOST: 'relay', ENCLAVE_SMTP_FROM: 'chat@example.test', ENCLAVE_SMTP_USER: 'chat', ENCLAVE_SMTP_PASSWORD: 'hunter2-secret', ENCLAVE_SMTP_SECURITY: 'none' });
  assert.match(clear, /ENCLAVE_SMTP_SECURITY: must be tls or starttls/);
  assert.ok(!clear.includes('hunter2-secret'));
  assert.match(bad({ ...base, ENCLAVE_SMTP_HOST: 'relay', ENCLAVE_SMTP_FROM: 'chat@example.test', ENCLAVE_SMTP_USER: 'chat' }), /ENCLAVE_SMTP_PASSWORD: needed/);
  const good = loadConfig({ ...base, ENCLAVE_SMTP_HOST: 'relay', ENCLAVE_SMTP_FROM: 'Chat <chat@example.test>' });
  assert.equal(good.smtpSecurity, 'starttls');
});
