import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { ScheduledMessage } from '@enclave/protocol';
import { buildRoom, buildRoomOfTwo, buildUser, createApprovedDlpRule } from '@enclave/testkit';
import { loadConfig, startServer } from '../src/index';
import { rejectsWith } from './expect-error';
import { openStream, startTestServer, testBackends, type TestServer } from './harness';

const HOUR = 3_600_000;

/** The time the server's scheduled sends go by: tests move it forward and poke the job instead of sleeping. */
class TestClock {
  at = Date.now();
  now = () => this.at;
  advance(ms: number): void {
    this.at += ms;
  }
}

for (const backend of testBackends()) {
  describe(`scheduled messages [${backend}]`, () => {
    const clock = new TestClock();
    let running: TestServer | undefined;
    const server = () => running!;
    before(async () => {
      running = await startTestServer({ backend, build: { clock } });
    });
    after(async () => {
      await running?.close();
    });

    const inAnHour = () => new Date(clock.now() + HOUR).toISOString();
    /** Moves the clock past everything scheduled so far and lets the job send it. */
    const sendDue = async () => {
      clock.advance(HOUR + 1000);
      await server().running.services.scheduledSends.poke();
    };
    const mine = async (client: TestServer['admin']['client']): Promise<ScheduledMessage[]> => (await client.endpoint('listScheduledMessages')()).scheduled;
    const history = async (client: TestServer['admin']['client'], roomId: string) => (await client.endpoint('listMessages')({ params: { roomId }, query: {} })).messages;

    test('a scheduled message goes at its time as its sender, not before, and only the sender is told', async () => {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      const aliceLive = await openStream(alice.client);
      const { scheduled } = await alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'stand-up moved to 10:00', sendAt: inAnHour() } });
      assert.deepEqual([scheduled.status, scheduled.text, scheduled.roomId], ['pending', 'stand-up moved to 10:00', room.id]);
      await server().running.services.scheduledSends.poke();
      assert.equal((await history(bob.client, room.id)).length, 0, 'nothing goes before its time');

      await sendDue();
      const [sent] = await history(bob.client, room.id);
      assert.deepEqual([sent?.text, sent?.senderId], ['stand-up moved to 10:00', alice.user.id]);
      assert.deepEqual(await mine(alice.client), [], 'a sent item leaves the list');
      await aliceLive.waitFor((events) => events.some((e) => e.type === 'scheduled.settled' && e.scheduledId === scheduled.id && e.outcome === 'sent' && e.messageId === sent?.id), 'the sent outcome');
      aliceLive.close();
    });

    test('the text is sealed at rest, and the sender can edit, reschedule and cancel until it goes', async () => {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      const { scheduled } = await alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'quarterly numbers draft', sendAt: inAnHour() } });
      const stored = await server().running.database.db.selectFrom('scheduled_messages').select('body').where('id', '=', scheduled.id).executeTakeFirstOrThrow();
      assert.ok(!stored.body.includes('quarterly'), 'the stored text is not plain');

      const later = new Date(clock.now() + 3 * HOUR).toISOString();
      const { scheduled: edited } = await alice.client.endpoint('updateScheduledMessage')({ params: { scheduledId: scheduled.id }, body: { text: 'quarterly numbers, final', sendAt: later } });
      assert.deepEqual([edited.text, edited.sendAt], ['quarterly numbers, final', later]);
      await sendDue();
      assert.equal((await history(bob.client, room.id)).length, 0, 'rescheduled: not due yet');

      const { scheduled: other } = await alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'never mind', sendAt: inAnHour() } });
      await alice.client.endpoint('cancelScheduledMessage')({ params: { scheduledId: other.id } });
      await rejectsWith(alice.client.endpoint('cancelScheduledMessage')({ params: { scheduledId: other.id } }), 'SCHEDULED_MESSAGE_NOT_FOUND', 404);
      await sendDue();
      await sendDue();
      assert.deepEqual((await history(bob.client, room.id)).map((m) => m.text), ['quarterly numbers, final']);
      await rejectsWith(alice.client.endpoint('updateScheduledMessage')({ params: { scheduledId: scheduled.id }, body: { text: 'too late' } }), 'SCHEDULED_MESSAGE_NOT_FOUND', 404);
    });

    test('refuses a time in the past and fields it does not know, naming them', async () => {
      const { alice, room } = await buildRoomOfTwo(server());
      const past = await rejectsWith(alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'hi', sendAt: new Date(clock.now() - 1000).toISOString() } }), 'VALIDATION_FAILED', 400);
      assert.equal((past.data?.issues as { path: string }[])[0]?.path, 'sendAt');
      const response = await fetch(`${server().url}/api/v1/rooms/${room.id}/scheduled-messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${alice.client.currentToken}` },
        body: JSON.stringify({ text: 'hi', sendAt: inAnHour(), fileIds: ['x'], priority: 1 }),
      });
      const body = (await response.json()) as { error: { code: string; data: { issues: { keys?: string[] }[] } } };
      assert.equal(body.error.code, 'VALIDATION_FAILED');
      assert.deepEqual(body.error.data.issues[0]?.keys, ['fileIds', 'priority']);
      assert.deepEqual(await mine(alice.client), []);
    });

    test('another member cannot list, edit or cancel my scheduled message', async () => {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      const { scheduled } = await alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'for the team', sendAt: inAnHour() } });
      assert.deepEqual(await mine(bob.client), []);
      await rejectsWith(bob.client.endpoint('updateScheduledMessage')({ params: { scheduledId: scheduled.id }, body: { text: 'hijacked' } }), 'SCHEDULED_MESSAGE_NOT_FOUND', 404);
      await rejectsWith(bob.client.endpoint('updateScheduledMessage')({ params: { scheduledId: scheduled.id }, body: { sendAt: inAnHour() } }), 'SCHEDULED_MESSAGE_NOT_FOUND', 404);
      await rejectsWith(bob.client.endpoint('cancelScheduledMessage')({ params: { scheduledId: scheduled.id } }), 'SCHEDULED_MESSAGE_NOT_FOUND', 404);
      await rejectsWith(server().admin.client.endpoint('cancelScheduledMessage')({ params: { scheduledId: scheduled.id } }), 'SCHEDULED_MESSAGE_NOT_FOUND', 404);
      const [still] = await mine(alice.client);
      assert.equal(still?.text, 'for the team');
      await alice.client.endpoint('cancelScheduledMessage')({ params: { scheduledId: scheduled.id } });
    });

    test('a DLP rule added after scheduling blocks it when it goes; the sender is told and keeps the text', async () => {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      const aliceLive = await openStream(alice.client);
      const word = `projectx${Date.now()}`;
      const { scheduled } = await alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: `the ${word} launch date`, sendAt: inAnHour() } });
      const officer = await buildUser(server(), { role: 'compliance' });
      const rule = await createApprovedDlpRule(server().admin.client, officer.client, { name: 'Code names', detector: { kind: 'keywords', words: [word] }, scope: { roomIds: [room.id] }, action: 'block' });
      await sendDue();
      assert.equal((await history(bob.client, room.id)).length, 0);
      const [failed] = await mine(alice.client);
      assert.deepEqual([failed?.status, failed?.text, failed?.error?.code], ['failed', `the ${word} launch date`, 'DLP_BLOCKED']);
      assert.deepEqual(failed?.error?.data?.rules, [{ id: rule.id, name: 'Code names', action: 'block' }]);
      await aliceLive.waitFor((events) => events.some((e) => e.type === 'scheduled.settled' && e.scheduledId === scheduled.id && e.outcome === 'failed' && e.error?.code === 'DLP_BLOCKED'), 'the failure');
      aliceLive.close();
      // Another pass does not try a failed item again; rescheduling does.
      await sendDue();
      assert.equal((await mine(alice.client))[0]?.status, 'failed');
      await alice.client.endpoint('cancelScheduledMessage')({ params: { scheduledId: scheduled.id } });
    });

    test('the send guard is asked when it goes: a message nobody is there to confirm fails with the reasons', async () => {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      await alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'all hands at 3', sendAt: inAnHour() } });
      const { settings } = await server().admin.client.endpoint('getAdminSettings')();
      await server().admin.client.endpoint('updateAdminSettings')({ body: { sendGuard: { ...settings.sendGuard, membersAbove: 1 } } });
      try {
        await sendDue();
      } finally {
        await server().admin.client.endpoint('updateAdminSettings')({ body: { sendGuard: settings.sendGuard } });
      }
      assert.equal((await history(bob.client, room.id)).length, 0);
      const [failed] = await mine(alice.client);
      assert.deepEqual([failed?.status, failed?.error?.code, failed?.error?.data?.reasons], ['failed', 'CONFIRMATION_REQUIRED', ['member-count']]);
      await alice.client.endpoint('cancelScheduledMessage')({ params: { scheduledId: failed!.id } });
    });

    test('a scheduled message cannot post into a room its sender has left', async () => {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      const { scheduled } = await bob.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'posted after I left', sendAt: inAnHour() } });
      await bob.client.endpoint('removeMember')({ params: { roomId: room.id, userId: bob.user.id } });
      await sendDue();
      assert.equal((await history(alice.client, room.id)).length, 0);
      const [failed] = await mine(bob.client);
      assert.deepEqual([failed?.id, failed?.status, failed?.error?.code], [scheduled.id, 'failed', 'ROOM_NOT_FOUND']);
      // Rescheduling does not get it in either: the room is judged again when it goes.
      await bob.client.endpoint('updateScheduledMessage')({ params: { scheduledId: scheduled.id }, body: { sendAt: inAnHour() } });
      await sendDue();
      assert.equal((await history(alice.client, room.id)).length, 0);
      await rejectsWith(bob.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'again', sendAt: inAnHour() } }), 'ROOM_NOT_FOUND', 404);
    });

    test('survives a restart: what is pending is listed again, and what fell due meanwhile goes at start', async () => {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      const { scheduled } = await alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'sent by a restarted server', sendAt: inAnHour() } });
      await server().restart();
      assert.deepEqual((await mine(alice.client)).map((item) => [item.id, item.text]), [[scheduled.id, 'sent by a restarted server']]);
      // No node runs while it falls due: the job stops first, so only the next start's catch-up can send it.
      await server().running.services.scheduledSends.stop();
      clock.advance(2 * HOUR);
      await server().restart();
      // The start's catch-up runs first; a poke waits for it.
      await server().running.services.scheduledSends.poke();
      assert.deepEqual((await history(bob.client, room.id)).map((m) => m.text), ['sent by a restarted server']);
      assert.deepEqual(await mine(alice.client), []);
    });

    test('goes once when two nodes wake for it together', async () => {
      const { alice, bob, room } = await buildRoomOfTwo(server());
      await alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'only once', sendAt: inAnHour() } });
      const config = loadConfig({}, { port: 0, host: '127.0.0.1', ...server().storageConfig, adminPassword: 'unused-second-node-password', logLevel: 'silent', passwordHashCost: 10 });
      const second = await startServer(config, { clock });
      try {
        clock.advance(HOUR + 1000);
        await Promise.all([server().running.services.scheduledSends.poke(), second.services.scheduledSends.poke()]);
      } finally {
        await second.close();
      }
      assert.deepEqual((await history(bob.client, room.id)).map((m) => m.text), ['only once']);
    });

    test('an urgent scheduled message is judged by the urgent policy when it goes', async () => {
      const alice = await buildUser(server());
      const bob = await buildUser(server());
      const room = await buildRoom(server(), { owner: bob.client, members: [alice.user] });
      await rejectsWith(alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'x', sendAt: inAnHour(), urgent: true } }), 'URGENT_REASON_REQUIRED', 400);
      await alice.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'server down', sendAt: inAnHour(), urgent: true, urgentReason: 'outage' } });
      await sendDue();
      const [failed] = await mine(alice.client);
      assert.deepEqual([failed?.error?.code, failed?.urgent?.reason], ['URGENT_NOT_ALLOWED', 'outage']);
      await alice.client.endpoint('cancelScheduledMessage')({ params: { scheduledId: failed!.id } });
      const { scheduled } = await bob.client.endpoint('scheduleMessage')({ params: { roomId: room.id }, body: { text: 'server down', sendAt: inAnHour(), urgent: true, urgentReason: 'outage' } });
      await sendDue();
      const [sent] = await history(alice.client, room.id);
      assert.deepEqual([sent?.text, sent?.urgent], ['server down', { reason: 'outage' }]);
      assert.deepEqual(await mine(bob.client), [], `${scheduled.id} went`);
    });
  });
}
