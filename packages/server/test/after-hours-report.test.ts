import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { test } from 'node:test';
import type { AfterHoursReport } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser } from '@enclave/testkit';
import { rejectsWith } from './expect-error';
import { describeEachBackend } from './harness';

/** The server's clock, set by each test: no sleeping, no wall-clock assertions. */
let now = Date.parse('2027-03-01T12:00:00.000Z');
const clock = { now: () => now };
const at = (iso: string) => {
  now = Date.parse(iso);
};

const shanghaiHours = { hours: { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' }, timeZone: 'Asia/Shanghai' };

/** One department's count in one week of the report; 0 when the department has no row. */
function countOf(report: AfterHoursReport, departmentId: string | null, weekStart: string): number {
  const week = report.weeks.findIndex((entry) => entry.weekStart === weekStart);
  assert.ok(week >= 0, `the report covers the week of ${weekStart}`);
  return report.departments.find((row) => row.departmentId === departmentId)?.counts[week] ?? 0;
}

function totalOf(report: AfterHoursReport, weekStart: string): number {
  return report.weeks.find((entry) => entry.weekStart === weekStart)?.total ?? Number.NaN;
}

describeEachBackend(
  'after-hours report',
  (server) => {
    const admin = () => server().admin.client;
    const reportOf = async (from: string, to: string) => (await admin().endpoint('getAfterHoursReport')({ query: { from, to } })).report;

    /** Each test works in weeks of its own, so the counts of the others never show in its figures. */
    async function organisation() {
      await admin().endpoint('setWorkHoursPolicy')({ body: { organisation: shanghaiHours, personalHoursAllowed: true } });
      const department = async (name: string) => (await admin().endpoint('createDepartment')({ body: { name: `${name} ${randomBytes(3).toString('hex')}` } })).department;
      return { department };
    }

    async function member(departmentIds: string[] = []) {
      const person = await buildUser(server());
      if (departmentIds.length > 0) await admin().endpoint('setUserDepartments')({ params: { userId: person.user.id }, body: { departmentIds } });
      const room = await buildRoom(server(), { owner: person.client });
      const send = async (text = 'status update', clientId?: string) => (await person.client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text, ...(clientId ? { clientId } : {}) } })).message;
      return { ...person, room, send };
    }

    test('an evening send counts for each department of its sender, a working-hours send does not, a retry counts once', async () => {
      const { department } = await organisation();
      const sales = await department('Sales');
      const support = await department('Support');
      const alice = await member([sales.id, support.id]);
      const bob = await member();
      const carol = await member([sales.id]);
      at('2027-03-01T12:00:00.000Z'); // Monday 20:00 in Shanghai: off work
      await alice.send('evening', 'retry-1');
      await alice.send('evening', 'retry-1');
      await bob.send();
      at('2027-03-02T02:00:00.000Z'); // Tuesday 10:00: at work
      await alice.send();
      await bob.send();
      await carol.send();
      const report = await reportOf('2027-03-01', '2027-03-07');
      assert.deepEqual(report.weeks, [{ weekStart: '2027-03-01', total: 2 }], 'each message once in the total');
      assert.equal(report.from, '2027-03-01');
      assert.equal(report.to, '2027-03-07');
      assert.equal(report.timeZone, 'Asia/Shanghai');
      assert.equal(countOf(report, sales.id, '2027-03-01'), 1);
      assert.equal(countOf(report, support.id, '2027-03-01'), 1);
      assert.equal(countOf(report, null, '2027-03-01'), 1, 'the people in no department have a row of their own');
      assert.equal(report.departments.find((row) => row.departmentId === sales.id)?.name, sales.name);
      assert.equal(report.departments.at(-1)?.departmentId, null, 'no department comes last');
      assert.equal(report.departments.find((row) => row.departmentId === null)?.name, null);
    });

    test('a holiday is off work and an adjusted working Saturday is not; a calendar change applies to the next send', async () => {
      const { department } = await organisation();
      const ops = await department('Ops');
      const dave = await member([ops.id]);
      at('2027-04-07T02:00:00.000Z'); // Wednesday 10:00 in Shanghai, still a working day
      await dave.send();
      await admin().endpoint('addHolidays')({ body: { source: 'days', days: [{ date: '2027-04-07', kind: 'holiday', name: 'Test holiday' }, { date: '2027-04-10', kind: 'workday', name: 'Adjusted working day' }] } });
      await dave.send(); // the same hour, now a holiday
      const counted = async () => countOf(await reportOf('2027-04-05', '2027-04-11'), ops.id, '2027-04-05');
      assert.equal(await counted(), 1, 'the holiday send');
      at('2027-04-10T02:00:00.000Z'); // Saturday 10:00, a working day
      await dave.send();
      assert.equal(await counted(), 1, 'not the adjusted working Saturday');
      at('2027-04-11T02:00:00.000Z'); // Sunday 10:00, the weekend
      await dave.send();
      assert.equal(await counted(), 2, 'the Sunday send');
    });

    test('weeks are read on the organisation’s clock: Sunday 23:30 and Monday 00:30 in Shanghai fall in two weeks', async () => {
      const { department } = await organisation();
      const design = await department('Design');
      const erin = await member([design.id]);
      at('2027-05-09T15:30:00.000Z'); // Sunday 23:30 in Shanghai
      await erin.send();
      at('2027-05-09T16:30:00.000Z'); // Monday 00:30 in Shanghai, still Sunday in UTC
      await erin.send();
      const report = await reportOf('2027-05-03', '2027-05-16');
      assert.deepEqual(report.weeks.map((week) => week.weekStart), ['2027-05-03', '2027-05-10']);
      assert.deepEqual(report.departments.find((row) => row.departmentId === design.id)?.counts, [1, 1]);
    });

    test('a sender is counted by their own schedule: own hours, own time zone, do-not-disturb, each change applying at once', async () => {
      const { department } = await organisation();
      const night = await department('Night shift');
      const frank = await member([night.id]);
      await frank.client.endpoint('setMyWorkHours')({ body: { hours: { days: [1, 2, 3, 4, 5, 6, 7], start: '19:00', end: '23:00' } } });
      at('2027-06-07T12:00:00.000Z'); // Monday 20:00 in Shanghai: Frank's working hours
      await frank.send();
      at('2027-06-08T02:00:00.000Z'); // Tuesday 10:00: everyone else's hours, not Frank's
      await frank.send();
      const grace = await member([night.id]);
      await grace.send(); // at work: not counted, and her hours are now known to the counter
      await grace.client.endpoint('updateMyProfile')({ body: { timeZone: 'America/New_York' } }); // 22:00 on Monday there
      await grace.send();
      await grace.client.endpoint('updateMyProfile')({ body: { timeZone: null } });
      await grace.client.endpoint('setMyWorkHours')({ body: { doNotDisturbUntil: '2027-06-08T03:00:00.000Z' } });
      await grace.send();
      const report = await reportOf('2027-06-07', '2027-06-13');
      assert.equal(countOf(report, night.id, '2027-06-07'), 3, 'Frank at 10:00, Grace on New York time, Grace in do-not-disturb');
    });

    test('a department change moves the next sends to the new department', async () => {
      const { department } = await organisation();
      const before = await department('Before');
      const after = await department('After');
      const henry = await member([before.id]);
      at('2027-07-05T12:00:00.000Z'); // Monday 20:00 in Shanghai
      await henry.send();
      await admin().endpoint('setUserDepartments')({ params: { userId: henry.user.id }, body: { departmentIds: [after.id] } });
      await henry.send();
      const report = await reportOf('2027-07-05', '2027-07-11');
      assert.equal(countOf(report, before.id, '2027-07-05'), 1);
      assert.equal(countOf(report, after.id, '2027-07-05'), 1);
    });

    test('many sends at once, batched by the writer, count exactly', async () => {
      const { department } = await organisation();
      const crowd = await department('Crowd');
      const people = await Promise.all([member([crowd.id]), member([crowd.id]), member([crowd.id])]);
      at('2027-08-02T13:00:00.000Z'); // Monday 21:00 in Shanghai
      await Promise.all(people.flatMap((person) => Array.from({ length: 20 }, (_, index) => person.send(`burst ${index}`))));
      const report = await reportOf('2027-08-02', '2027-08-08');
      assert.equal(countOf(report, crowd.id, '2027-08-02'), 60);
      assert.equal(totalOf(report, '2027-08-02'), 60);
    });

    test('the report and its table hold counts only: no text, no user id, no username', async () => {
      const { department } = await organisation();
      const legal = await department('Legal');
      const ivan = await member([legal.id]);
      const secret = `merger-${randomBytes(6).toString('hex')}`;
      at('2027-09-06T12:00:00.000Z'); // Monday 20:00 in Shanghai
      await ivan.send(`the ${secret} is off`);
      const raw = await fetch(`${server().url}/api/v1/admin/reports/after-hours?from=2027-09-06&to=2027-09-12`, { headers: { authorization: `Bearer ${admin().currentToken}` } });
      assert.equal(raw.status, 200);
      const body = await raw.text();
      assert.match(body, new RegExp(legal.id), 'the sanity check: the department is in it');
      for (const needle of [secret, ivan.user.id, ivan.username]) assert.ok(!body.includes(needle), `the report holds no ${needle}`);
      const stored = JSON.stringify(await server().running.database.db.selectFrom('after_hours_counts').selectAll().execute());
      assert.match(stored, new RegExp(legal.id));
      for (const needle of [secret, ivan.user.id, ivan.username]) assert.ok(!stored.includes(needle), `the table holds no ${needle}`);
      const audited = await server().running.database.db.selectFrom('audit_log').select('data').where('action', '=', 'work_hours.report_viewed').execute();
      assert.ok(audited.some((entry) => String(entry.data).includes('2027-09-06')), 'each viewing is audited with its range');
    });

    test('only an admin reads the report: a member, a compliance officer and no session are refused at the raw API', async () => {
      const alice = await buildUser(server());
      const officer = await buildUser(server(), { role: 'compliance' });
      const url = `${server().url}/api/v1/admin/reports/after-hours`;
      const status = async (client?: EnclaveClient) => (await fetch(url, client ? { headers: { authorization: `Bearer ${client.currentToken}` } } : {})).status;
      assert.equal(await status(alice.client), 403);
      assert.equal(await status(officer.client), 403);
      assert.equal(await status(), 401);
      await rejectsWith(alice.client.endpoint('getAfterHoursReport')({ query: {} }), 'ADMIN_REQUIRED', 403);
      await rejectsWith(officer.client.endpoint('getAfterHoursReport')({ query: {} }), 'ADMIN_REQUIRED', 403);
      assert.equal(await status(admin()), 200, 'the sanity check: the admin is answered');
    });

    test('the range is the last 8 weeks by default, at most 26, and checked', async () => {
      await organisation();
      at('2027-10-13T02:00:00.000Z'); // Wednesday in Shanghai
      const { report } = await admin().endpoint('getAfterHoursReport')({ query: {} });
      assert.equal(report.weeks.length, 8);
      assert.equal(report.weeks.at(-1)?.weekStart, '2027-10-11');
      assert.equal(report.from, '2027-08-23');
      assert.equal(report.to, '2027-10-17');
      assert.equal((await reportOf('2027-01-04', '2027-07-04')).weeks.length, 26);
      await rejectsWith(reportOf('2027-01-04', '2027-07-05'), 'VALIDATION_FAILED', 400);
      await rejectsWith(reportOf('2027-03-10', '2027-03-01'), 'VALIDATION_FAILED', 400);
      await rejectsWith(admin().endpoint('getAfterHoursReport')({ query: { from: '2027-13-01' } }), 'VALIDATION_FAILED', 400);
      await rejectsWith(admin().endpoint('getAfterHoursReport')({ query: { from: '2026-01-01' } }), 'VALIDATION_FAILED', 400);
      const unknownField = await fetch(`${server().url}/api/v1/admin/reports/after-hours?userId=x`, { headers: { authorization: `Bearer ${admin().currentToken}` } });
      assert.equal(unknownField.status, 400);
    });
  },
  undefined,
  { clock },
);
