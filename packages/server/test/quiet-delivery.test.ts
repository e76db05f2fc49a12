import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LoggedEvent } from '@enclave/protocol';
import { buildRoom, buildUser } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend, openStream, type RecordedStream } from './harness';

/** The server's clock, set by each test: no sleeping, no wall-clock assertions. */
let now = Date.parse('2026-03-30T12:00:00.000Z'); // Monday 20:00 in Shanghai
const clock = { now: () => now };
const at = (iso: string) => {
  now = Date.parse(iso);
};

const shanghaiHours = { hours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }, timeZone: 'Asia/Shanghai' };

/** Whether the stream got the message, and marked quiet or not; fails when it never arrives. */
async function deliveredQuietly(live: RecordedStream, messageId: string): Promise<boolean> {
  const created = (events: LoggedEvent[]) => events.find((event) => event.type === 'message.created' && event.message.id === messageId);
  await live.waitFor((events) => created(events) !== undefined, `message ${messageId}`);
  const event = created(live.events);
  return event?.type === 'message.created' && event.quiet === true;
}

describeEachBackend(
  'quiet delivery',
  (server) => {
    const admin = () => server().admin.client;

    /** An owner, a colleague on the organisation's hours and one who works evenings, in one group. */
    async function team() {
      await admin().endpoint('setWorkHoursPolicy')({ body: { organisation: shanghaiHours, personalHoursAllowed: true } });
      const owner = await buildUser(server());
      const dayWorker = await buildUser(server());
      const eveningWorker = await buildUser(server());
      await eveningWorker.client.endpoint('setMyWorkHours')({ body: { hours: { days: [1, 2, 3, 4, 5, 6, 7], start: '19:00', end: '23:00' } } });
      const room = await buildRoom(server(), { owner: owner.client, members: [dayWorker.user, eveningWorker.user] });
      return { owner, dayWorker, eveningWorker, room };
    }

    const send = async (sender: Awaited<ReturnType<typeof buildUser>>, roomId: string, text: string, urgent?: string) =>
      (await sender.client.endpoint('sendMessage')({ params: { roomId }, body: { text, ...(urgent ? { urgent: true, urgentReason: urgent } : {}) } })).message.id;

    test('a message reaches people off work marked quiet, @all included, and people at work as usual', async () => {
      at('2026-03-30T12:00:00.000Z'); // Monday 20:00 in Shanghai
      const { owner, dayWorker, eveningWorker, room } = await team();
      const [day, evening] = await Promise.all([openStream(dayWorker.client), openStream(eveningWorker.client)]);
      try {
        const announcement = await send(owner, room.id, '@all the release moved to Thursday');
        assert.equal(await deliveredQuietly(day, announcement), true, 'off work at 20:00: no ping');
        assert.equal(await deliveredQuietly(evening, announcement), false, 'at work in the evening: pings as usual');
        const mention = await send(owner, room.id, `@${dayWorker.user.username} please check tomorrow`);
        assert.equal(await deliveredQuietly(day, mention), true);
      } finally {
        day.close();
        evening.close();
      }
    });

    test('an urgent message rings through quiet hours', async () => {
      at('2026-03-30T12:00:00.000Z');
      const { owner, dayWorker, room } = await team();
      const day = await openStream(dayWorker.client);
      try {
        const urgent = await send(owner, room.id, 'the site is down', 'outage');
        assert.equal(await deliveredQuietly(day, urgent), false);
      } finally {
        day.close();
      }
    });

    test('an open stream follows the clock from off work to at work and back, without reconnecting', async () => {
      at('2026-03-30T12:00:00.000Z');
      const { owner, dayWorker, eveningWorker, room } = await team();
      const [day, evening] = await Promise.all([openStream(dayWorker.client), openStream(eveningWorker.client)]);
      try {
        assert.equal(await deliveredQuietly(day, await send(owner, room.id, 'evening')), true);
        at('2026-03-31T01:30:00.000Z'); // Tuesday 09:30 in Shanghai
        const morning = await send(owner, room.id, 'morning');
        assert.equal(await deliveredQuietly(day, morning), false, 'the day worker is at work now');
        assert.equal(await deliveredQuietly(evening, morning), true, 'the evening worker is off now');
        at('2026-03-31T10:00:00.000Z'); // Tuesday 18:00: the day ends as the clock strikes
        assert.equal(await deliveredQuietly(day, await send(owner, room.id, 'at six')), true);
      } finally {
        day.close();
        evening.close();
      }
    });

    test('changes to schedules reach open streams at once: do-not-disturb, a holiday, a time zone, a department', async () => {
      at('2026-03-31T02:00:00.000Z'); // Tuesday 10:00 in Shanghai
      const { owner, dayWorker, room } = await team();
      const day = await openStream(dayWorker.client);
      const quietNow = async (text: string) => deliveredQuietly(day, await send(owner, room.id, text));
      try {
        assert.equal(await quietNow('at work'), false);

        await dayWorker.client.endpoint('setMyWorkHours')({ body: { doNotDisturbUntil: '2026-03-31T04:00:00.000Z' } });
        assert.equal(await quietNow('do not disturb'), true);
        await dayWorker.client.endpoint('setMyWorkHours')({ body: { doNotDisturbUntil: null } });
        assert.equal(await quietNow('disturb again'), false);

        await admin().endpoint('addHolidays')({ body: { source: 'days', days: [{ date: '2026-03-31', kind: 'holiday', name: 'Company day' }] } });
        assert.equal(await quietNow('on a holiday'), true);
        await admin().endpoint('removeHoliday')({ params: { date: '2026-03-31' } });
        assert.equal(await quietNow('holiday taken back'), false);

        await dayWorker.client.endpoint('updateMyProfile')({ body: { timeZone: 'America/New_York' } });
        assert.equal(await quietNow('22:00 in New York'), true);
        await dayWorker.client.endpoint('updateMyProfile')({ body: { timeZone: 'Asia/Shanghai' } });
        assert.equal(await quietNow('back in Shanghai'), false);

        const { department } = await admin().endpoint('createDepartment')({ body: { name: `Late shift ${now}` } });
        await admin().endpoint('setWorkHoursPolicy')({ body: { department: { departmentId: department.id, schedule: { hours: { days: [1, 2, 3, 4, 5], start: '14:00', end: '22:00' }, timeZone: 'Asia/Shanghai' } } } });
        await admin().endpoint('setUserDepartments')({ params: { userId: dayWorker.user.id }, body: { departmentIds: [department.id] } });
        assert.equal(await quietNow('moved to the late shift'), true);
      } finally {
        day.close();
      }
    });

    test('a stream that resumes off work gets what it missed marked quiet too', async () => {
      at('2026-03-30T12:00:00.000Z');
      const { owner, dayWorker, room } = await team();
      const first = await openStream(dayWorker.client);
      const seen = first.stream.position;
      first.close();
      const missed = await send(owner, room.id, 'sent while the laptop was shut');
      const resumed = await openStream(dayWorker.client, { after: seen });
      try {
        assert.equal(await deliveredQuietly(resumed, missed), true);
      } finally {
        resumed.close();
      }
    });

    test('a sender cannot make a message ring by a field of its own, over REST or the stream', async () => {
      at('2026-03-30T12:00:00.000Z');
      const { owner, dayWorker, room } = await team();
      await rejectsWith(owner.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: 'ring', quiet: false } as never }), 'VALIDATION_FAILED', 400);
      const ownerLive = await openStream(owner.client);
      const day = await openStream(dayWorker.client);
      try {
        await assert.rejects(ownerLive.stream.sendMessage({ roomId: room.id, clientId: 'ring-1', text: 'ring', quiet: false } as never), (error: { code?: string }) => error.code === 'VALIDATION_FAILED');
        const plain = await send(owner, room.id, 'an ordinary evening message');
        assert.equal(await deliveredQuietly(day, plain), true);
      } finally {
        ownerLive.close();
        day.close();
      }
    });
  },
  {},
  { clock },
);
