import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';

/** The server's clock, set by each test: no sleeping, no wall-clock assertions. */
let now = Date.parse('2026-03-30T02:00:00.000Z');
const clock = { now: () => now };

const shanghaiHours = { hours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }, timeZone: 'Asia/Shanghai' };

const icsCalendar = [
  'BEGIN:VCALENDAR',
  'VERSION:2.0',
  'PRODID:-//test//holidays//EN',
  'BEGIN:VEVENT',
  'UID:a@test',
  'DTSTART;VALUE=DATE:20270101',
  'DTEND;VALUE=DATE:20270104',
  'SUMMARY:元旦',
  'END:VEVENT',
  'BEGIN:VEVENT',
  'UID:b@test',
  'DTSTART;VALUE=DATE:20270109',
  'DTEND;VALUE=DATE:20270110',
  'SUMMARY:元旦补班',
  'END:VEVENT',
  'END:VCALENDAR',
].join('\r\n');

describeEachBackend(
  'work hours',
  (server) => {
    test('only an admin reads or changes schedules and the holiday calendar, by any route', async () => {
      const alice = await buildUser(server());
      await rejectsWith(alice.client.endpoint('getWorkHoursPolicy')(), 'ADMIN_REQUIRED', 403);
      await rejectsWith(alice.client.endpoint('setWorkHoursPolicy')({ body: { personalHoursAllowed: false } }), 'ADMIN_REQUIRED', 403);
      await rejectsWith(alice.client.endpoint('addHolidays')({ body: { source: 'days', days: [{ date: '2026-12-25', kind: 'holiday', name: 'Christmas' }] } }), 'ADMIN_REQUIRED', 403);
      await rejectsWith(alice.client.endpoint('addHolidays')({ body: { source: 'prc' } }), 'ADMIN_REQUIRED', 403);
      const raw = await fetch(`${server().url}/api/v1/admin/holidays`, {
        method: 'POST',
        headers: { authorization: `Bearer ${alice.client.currentToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ source: 'csv', text: '2026-12-25,holiday,Christmas' }),
      });
      assert.equal(raw.status, 403);
      const { holidays } = await server().admin.client.endpoint('listHolidays')({ query: {} });
      assert.ok(!holidays.some((day) => day.date === '2026-12-25'), 'nothing above reached the calendar');
    });

    test('a fresh install works Monday to Friday 09:00–18:00; the admin names the time zone, audited', async () => {
      const admin = server().admin.client;
      const fresh = await admin.endpoint('getWorkHoursPolicy')();
      assert.deepEqual(fresh.policy.organisation.hours, { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' });
      assert.equal(fresh.policy.personalHoursAllowed, true);
      const { policy } = await admin.endpoint('setWorkHoursPolicy')({ body: { organisation: shanghaiHours } });
      assert.deepEqual(policy.organisation, shanghaiHours);
      await rejectsWith(admin.endpoint('setWorkHoursPolicy')({ body: { organisation: { hours: { days: [1], start: '18:00', end: '09:00' }, timeZone: 'Asia/Shanghai' } } }), 'VALIDATION_FAILED', 400);
      await rejectsWith(admin.endpoint('setWorkHoursPolicy')({ body: { organisation: { ...shanghaiHours, timeZone: 'Mars/Olympus' } } }), 'VALIDATION_FAILED', 400);
      const entries = await server().running.database.db.selectFrom('audit_log').select(['action', 'target_id']).where('action', '=', 'work_hours.schedule_set').execute();
      assert.deepEqual(entries.map((entry) => entry.target_id), ['organisation']);
    });

    test('a department and its sub-departments follow the department’s own hours; removing them falls back', async () => {
      const admin = server().admin.client;
      await admin.endpoint('setWorkHoursPolicy')({ body: { organisation: shanghaiHours } });
      const { department: sales } = await admin.endpoint('createDepartment')({ body: { name: `Sales ${now}` } });
      const { department: europe } = await admin.endpoint('createDepartment')({ body: { name: 'Europe', parentId: sales.id } });
      const seller = await buildUser(server());
      await admin.endpoint('setUserDepartments')({ params: { userId: seller.user.id }, body: { departmentIds: [europe.id] } });
      await admin.endpoint('setWorkHoursPolicy')({ body: { department: { departmentId: sales.id, schedule: { hours: { days: [2, 3, 4, 5, 6], start: '10:00', end: '19:00' }, timeZone: 'Asia/Shanghai' } } } });
      const mine = await seller.client.endpoint('getMyWorkHours')();
      assert.deepEqual(mine.effective.hours, { days: [2, 3, 4, 5, 6], start: '10:00', end: '19:00' });
      await admin.endpoint('setWorkHoursPolicy')({ body: { department: { departmentId: sales.id, schedule: null } } });
      assert.deepEqual((await seller.client.endpoint('getMyWorkHours')()).effective.hours, shanghaiHours.hours);
      await rejectsWith(admin.endpoint('setWorkHoursPolicy')({ body: { department: { departmentId: 'no-such-department', schedule: shanghaiHours } } }), 'DEPARTMENT_NOT_FOUND', 404);
    });

    test('a DM member sees a Berlin colleague off work until 09:00 Berlin time, across the daylight-saving change', async () => {
      const admin = server().admin.client;
      await admin.endpoint('setWorkHoursPolicy')({ body: { organisation: shanghaiHours } });
      const li = await buildUser(server(), { displayName: '李伟' });
      const anna = await buildUser(server());
      await anna.client.endpoint('updateMyProfile')({ body: { timeZone: 'Europe/Berlin' } });
      const { room } = await li.client.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [anna.user.id] } });
      now = Date.parse('2026-03-28T02:00:00.000Z'); // Saturday 10:00 in Shanghai, 03:00 in Berlin
      const { people } = await li.client.endpoint('getRoomAvailability')({ params: { roomId: room.id } });
      assert.deepEqual(people, [{ userId: anna.user.id, atWork: false, until: '2026-03-30T07:00:00.000Z', reason: 'weekend', timeZone: 'Europe/Berlin' }]);
      now = Date.parse('2026-03-30T08:00:00.000Z'); // Monday 16:00 in Shanghai, 10:00 in Berlin
      const later = await anna.client.endpoint('getRoomAvailability')({ params: { roomId: room.id } });
      assert.deepEqual(later.people, [{ userId: li.user.id, atWork: true, until: '2026-03-30T10:00:00.000Z', reason: 'hours', timeZone: 'Asia/Shanghai' }]);
      const outsider = await buildUser(server());
      await rejectsWith(outsider.client.endpoint('getRoomAvailability')({ params: { roomId: room.id } }), 'ROOM_NOT_FOUND', 404);
    });

    test('a big room tells nobody who is at work', async () => {
      const owner = await buildUser(server());
      const members = await Promise.all(Array.from({ length: 20 }, () => buildUser(server())));
      const room = await buildRoom(server(), { owner: owner.client, members: members.map((member) => member.user) });
      assert.deepEqual((await owner.client.endpoint('getRoomAvailability')({ params: { roomId: room.id } })).people, []);
    });

    test('the one-click PRC calendar counts the 调休 Saturday as working and the Spring Festival as off', async () => {
      const admin = server().admin.client;
      await admin.endpoint('setWorkHoursPolicy')({ body: { organisation: shanghaiHours } });
      const loaded = await admin.endpoint('addHolidays')({ body: { source: 'prc', years: [2026] } });
      assert.ok(loaded.added + loaded.updated > 30);
      assert.deepEqual(loaded.holidays.find((day) => day.date === '2026-02-14')?.kind, 'workday');
      const again = await admin.endpoint('addHolidays')({ body: { source: 'prc', years: [2026] } });
      assert.equal(again.added, 0, 'loading twice adds nothing');
      const wang = await buildUser(server());
      now = Date.parse('2026-02-14T02:00:00.000Z'); // Saturday 10:00 in Shanghai, an adjusted working day
      assert.equal((await wang.client.endpoint('getMyWorkHours')()).availability.atWork, true);
      now = Date.parse('2026-02-17T02:00:00.000Z');
      assert.deepEqual((await wang.client.endpoint('getMyWorkHours')()).availability, { atWork: false, until: '2026-02-24T01:00:00.000Z', reason: 'holiday', timeZone: 'Asia/Shanghai' });
    });

    test('ICS and CSV imports add holidays and working days; a bad row leaves the calendar as it was', async () => {
      const admin = server().admin.client;
      const ics = await admin.endpoint('addHolidays')({ body: { source: 'ics', text: icsCalendar } });
      assert.equal(ics.added, 4);
      assert.deepEqual(ics.holidays.filter((day) => day.date.startsWith('2027-01')), [
        { date: '2027-01-01', kind: 'holiday', name: '元旦' },
        { date: '2027-01-02', kind: 'holiday', name: '元旦' },
        { date: '2027-01-03', kind: 'holiday', name: '元旦' },
        { date: '2027-01-09', kind: 'workday', name: '元旦补班' },
      ]);
      const csv = await admin.endpoint('addHolidays')({ body: { source: 'csv', text: 'date,kind,name\n2027-01-03,workday,"Changed, with a comma"\n2027-05-01,休,劳动节\n' } });
      assert.deepEqual({ added: csv.added, updated: csv.updated }, { added: 1, updated: 1 });
      assert.deepEqual(csv.holidays.find((day) => day.date === '2027-01-03'), { date: '2027-01-03', kind: 'workday', name: 'Changed, with a comma' });
      const before = await admin.endpoint('listHolidays')({ query: { year: 2027 } });
      const bad = await rejectsWith(admin.endpoint('addHolidays')({ body: { source: 'csv', text: '2027-06-01,holiday,ok\n2027-13-40,holiday,no such day\n' } }), 'CALENDAR_IMPORT_INVALID', 400);
      assert.equal(bad.data?.line, 2);
      await rejectsWith(admin.endpoint('addHolidays')({ body: { source: 'ics', text: 'BEGIN:VCALENDAR\r\nnot really' } }), 'CALENDAR_IMPORT_INVALID', 400);
      assert.deepEqual(await admin.endpoint('listHolidays')({ query: { year: 2027 } }), before);
      await rejectsWith(admin.endpoint('addHolidays')({ body: { source: 'csv' } }), 'VALIDATION_FAILED', 400);
      await rejectsWith(admin.endpoint('addHolidays')({ body: { source: 'days', days: [{ date: '2027-06-01', kind: 'holiday', name: '' }], text: '2027-06-02,holiday,x' } }), 'VALIDATION_FAILED', 400);
      const listed = await admin.endpoint('addHolidays')({ body: { source: 'days', days: [{ date: '2027-05-01', kind: 'holiday', name: 'Labour Day' }] } });
      assert.deepEqual({ added: listed.added, updated: listed.updated }, { added: 0, updated: 1 });
      await admin.endpoint('removeHoliday')({ params: { date: '2027-05-01' } });
      await rejectsWith(admin.endpoint('removeHoliday')({ params: { date: '2027-05-01' } }), 'HOLIDAY_NOT_FOUND', 404);
      const audited = await server().running.database.db.selectFrom('audit_log').select('data').where('action', '=', 'work_hours.holidays_changed').execute();
      assert.ok(audited.length >= 3);
    });

    test('people set leave and do-not-disturb; own hours only when the policy allows; unknown fields are refused', async () => {
      const admin = server().admin.client;
      await admin.endpoint('setWorkHoursPolicy')({ body: { organisation: shanghaiHours, personalHoursAllowed: true } });
      const chen = await buildUser(server());
      now = Date.parse('2026-06-02T03:00:00.000Z'); // Tuesday 11:00 in Shanghai
      const own = await chen.client.endpoint('setMyWorkHours')({ body: { hours: { days: [1, 2, 3, 4], start: '12:00', end: '20:00' } } });
      assert.deepEqual(own.availability, { atWork: false, until: '2026-06-02T04:00:00.000Z', reason: 'hours', timeZone: 'Asia/Shanghai' });
      const quiet = await chen.client.endpoint('setMyWorkHours')({ body: { doNotDisturbUntil: '2026-06-02T06:00:00.000Z', leave: [{ from: '2026-07-01', to: '2026-07-05' }] } });
      assert.equal(quiet.availability.reason, 'dnd');
      assert.deepEqual(quiet.personal.hours, { days: [1, 2, 3, 4], start: '12:00', end: '20:00' }, 'a change keeps what it does not name');
      await admin.endpoint('setWorkHoursPolicy')({ body: { personalHoursAllowed: false } });
      await rejectsWith(chen.client.endpoint('setMyWorkHours')({ body: { hours: { days: [1], start: '09:00', end: '10:00' } } }), 'PERSONAL_HOURS_NOT_ALLOWED', 403);
      const followed = await chen.client.endpoint('getMyWorkHours')();
      assert.deepEqual(followed.effective.hours, shanghaiHours.hours, 'stored own hours no longer apply');
      const raw = await fetch(`${server().url}/api/v1/me/work-hours`, {
        method: 'PATCH',
        headers: { authorization: `Bearer ${chen.client.currentToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ leave: [], workHours: { start: '00:00' } }),
      });
      assert.equal(raw.status, 400);
      assert.equal(((await raw.json()) as { error: { code: string } }).error.code, 'VALIDATION_FAILED');
      await rejectsWith(chen.client.endpoint('setMyWorkHours')({ body: { leave: [{ from: '2026-07-05', to: '2026-07-01' }] } }), 'VALIDATION_FAILED', 400);
    });

    test('mentions and @all received while off come back once, at the start of the next working period, whatever the sessions and restarts', async () => {
      const admin = server().admin.client;
      await admin.endpoint('setWorkHoursPolicy')({ body: { organisation: shanghaiHours } });
      const alice = await buildUser(server());
      const bob = await buildUser(server());
      const rooms = [await buildRoom(server(), { owner: alice.client, members: [bob.user] }), await buildRoom(server(), { owner: alice.client, members: [bob.user] })];
      const sent = [];
      for (const [index, room] of [rooms[0]!, rooms[0]!, rooms[1]!].entries()) {
        sent.push((await alice.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text: `@${bob.username} question ${index}` } })).message);
      }
      const carol = await buildUser(server());
      const team = await buildRoom(server(), { owner: alice.client, members: [bob.user, carol.user] });
      sent.push((await alice.client.endpoint('sendMessage')({ params: { roomId: team.id }, body: { text: '@all stand-up moves to 10:00' } })).message);
      sent.push((await alice.client.endpoint('sendMessage')({ params: { roomId: team.id }, body: { text: 'no mention: not counted' } })).message);
      // Sent on Saturday in Shanghai, while Bob was off; the writer stamps the real time, so the test moves it.
      await server().running.database.db.updateTable('messages').set({ created_at: Date.parse('2026-06-06T02:00:00.000Z') }).where('id', 'in', sent.map((message) => message.id)).execute();
      now = Date.parse('2026-06-08T00:30:00.000Z'); // Monday 08:30 in Shanghai: still off
      assert.deepEqual(await bob.client.endpoint('claimOffWorkSummary')(), { summary: null });
      now = Date.parse('2026-06-08T01:30:00.000Z'); // Monday 09:30
      const otherDevice = new EnclaveClient({ baseUrl: server().url });
      await otherDevice.login(bob.username, bob.password);
      const claims = await Promise.all([bob.client.endpoint('claimOffWorkSummary')(), otherDevice.endpoint('claimOffWorkSummary')()]);
      const released = claims.filter((claim) => claim.summary !== null);
      assert.equal(released.length, 1, 'one of two sessions asking at once gets it');
      assert.deepEqual(released[0]!.summary, { since: '2026-06-05T10:00:00.000Z', until: '2026-06-08T01:00:00.000Z', mentions: 4, rooms: 3 });
      await server().restart();
      await bob.client.login(bob.username, bob.password);
      assert.deepEqual(await bob.client.endpoint('claimOffWorkSummary')(), { summary: null }, 'not again after a restart');
      assert.deepEqual(await alice.client.endpoint('claimOffWorkSummary')(), { summary: { since: '2026-06-05T10:00:00.000Z', until: '2026-06-08T01:00:00.000Z', mentions: 0, rooms: 0 } }, 'counts are one’s own');
      now = Date.parse('2026-06-09T01:30:00.000Z'); // Tuesday 09:30: a new period, nothing new
      assert.deepEqual((await bob.client.endpoint('claimOffWorkSummary')()).summary?.mentions, 0);
    });
  },
  undefined,
  { clock },
);
