import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { HolidayKind, WorkingHours } from '@enclave/protocol';
import { DateTime } from 'luxon';
import { availability, type PersonSchedule } from '../src/work-hours/availability';
import { shippedHolidays } from '../src/work-hours/shipped-calendars';

const officeHours: WorkingHours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };

function person(timeZone: string, changes: Partial<PersonSchedule> = {}): PersonSchedule {
  return { timeZone, hours: officeHours, calendar: new Map(), leave: [], doNotDisturbUntil: null, ...changes };
}

/** An instant named by the wall clock of a zone, as the sender in that zone reads it. */
function wall(iso: string, zone: string): number {
  return DateTime.fromISO(iso, { zone }).toMillis();
}

function iso(instant: number | null): string | null {
  return instant === null ? null : new Date(instant).toISOString();
}

describe('availability', () => {
  const berlin = person('Europe/Berlin');

  test('a Shanghai sender on Friday evening finds a Berlin recipient at work until 18:00 Berlin time', () => {
    const state = availability(berlin, wall('2026-03-27T20:00', 'Asia/Shanghai'));
    assert.deepEqual({ ...state, until: iso(state.until) }, { atWork: true, until: '2026-03-27T17:00:00.000Z', reason: 'hours' });
  });

  test('over the weekend Berlin changes to summer time: the recipient starts at 09:00 CEST, an hour earlier in UTC', () => {
    const state = availability(berlin, wall('2026-03-28T10:00', 'Asia/Shanghai'));
    assert.deepEqual({ ...state, until: iso(state.until) }, { atWork: false, until: '2026-03-30T07:00:00.000Z', reason: 'weekend' });
    assert.equal(DateTime.fromMillis(state.until!, { zone: 'Asia/Shanghai' }).toFormat('ccc HH:mm'), 'Mon 15:00', 'the sender reads 15:00, not 16:00 as the week before');
  });

  test('before 09:00 on a working day the recipient is off for the hours, and at 09:00 summer time at work', () => {
    const early = availability(berlin, wall('2026-03-30T14:30', 'Asia/Shanghai'));
    assert.deepEqual({ ...early, until: iso(early.until) }, { atWork: false, until: '2026-03-30T07:00:00.000Z', reason: 'hours' });
    assert.equal(availability(berlin, Date.parse('2026-03-30T07:00:00.000Z')).atWork, true);
    assert.equal(availability(berlin, Date.parse('2026-03-30T06:59:59.999Z')).atWork, false);
  });

  test('the autumn change moves the start back to 08:00 UTC', () => {
    const state = availability(berlin, wall('2026-10-23T18:30', 'Europe/Berlin'));
    assert.deepEqual({ ...state, until: iso(state.until) }, { atWork: false, until: '2026-10-26T08:00:00.000Z', reason: 'hours' });
  });

  test('with the shipped PRC calendar, the adjusted working Saturday (调休) is a working day and the Spring Festival is off', async () => {
    const calendar = new Map<string, HolidayKind>((await shippedHolidays('prc', [2026])).map((day) => [day.date, day.kind]));
    const shanghai = person('Asia/Shanghai', { calendar });
    const saturday = availability(shanghai, wall('2026-02-14T10:00', 'Asia/Shanghai'));
    assert.deepEqual({ ...saturday, until: iso(saturday.until) }, { atWork: true, until: '2026-02-14T10:00:00.000Z', reason: 'hours' });
    const festival = availability(shanghai, wall('2026-02-16T10:00', 'Asia/Shanghai'));
    assert.deepEqual({ ...festival, until: iso(festival.until) }, { atWork: false, until: '2026-02-24T01:00:00.000Z', reason: 'holiday' });
    const nationalDay = availability(shanghai, wall('2026-10-01T11:00', 'Asia/Shanghai'));
    assert.equal(nationalDay.reason, 'holiday');
    assert.equal(DateTime.fromMillis(nationalDay.until!, { zone: 'Asia/Shanghai' }).toISO({ suppressMilliseconds: true, includeOffset: false }), '2026-10-08T09:00:00');
    const workingSunday = availability(shanghai, wall('2026-09-20T09:30', 'Asia/Shanghai'));
    assert.equal(workingSunday.atWork, true, 'the working Sunday before National Day');
    const plainSaturday = availability(shanghai, wall('2026-02-07T10:00', 'Asia/Shanghai'));
    assert.equal(plainSaturday.reason, 'weekend', 'an ordinary Saturday stays off');
  });

  test('the holiday calendar is read on the recipient’s own date, not the sender’s', () => {
    const calendar = new Map<string, HolidayKind>([['2026-05-01', 'holiday']]);
    const shanghaiEvening = wall('2026-04-30T23:30', 'Asia/Shanghai');
    assert.equal(availability(person('Europe/Berlin', { calendar }), shanghaiEvening).atWork, true, 'still 30 April, 17:30 in Berlin');
    assert.equal(availability(person('Asia/Shanghai', { calendar }), wall('2026-05-01T10:00', 'Asia/Shanghai')).reason, 'holiday');
  });

  test('leave and do-not-disturb keep someone off, and say so', () => {
    const onLeave = person('Europe/Berlin', { leave: [{ from: '2026-06-01', to: '2026-06-03' }] });
    const leave = availability(onLeave, wall('2026-06-02T11:00', 'Europe/Berlin'));
    assert.deepEqual({ ...leave, until: iso(leave.until) }, { atWork: false, until: '2026-06-04T07:00:00.000Z', reason: 'leave' });
    const quiet = person('Europe/Berlin', { doNotDisturbUntil: wall('2026-06-02T14:00', 'Europe/Berlin') });
    const dnd = availability(quiet, wall('2026-06-02T11:00', 'Europe/Berlin'));
    assert.deepEqual({ ...dnd, until: iso(dnd.until) }, { atWork: false, until: '2026-06-02T12:00:00.000Z', reason: 'dnd' });
    assert.equal(availability(quiet, wall('2026-06-02T14:00', 'Europe/Berlin')).atWork, true, 'do-not-disturb ends on time');
    const lateQuiet = availability(person('Europe/Berlin', { doNotDisturbUntil: wall('2026-06-02T20:00', 'Europe/Berlin') }), wall('2026-06-02T11:00', 'Europe/Berlin'));
    assert.equal(iso(lateQuiet.until), '2026-06-03T07:00:00.000Z', 'past the end of the day, the next start');
  });

  test('hours that run to 24:00 leave no gap at midnight, even on the night Berlin changes its clocks', () => {
    const always = person('Europe/Berlin', { hours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' } });
    for (const at of ['2026-03-28T22:59:59.999Z', '2026-03-28T23:00:00.000Z', '2026-03-29T01:30:00.000Z', '2026-10-25T01:30:00.000Z']) {
      assert.equal(availability(always, Date.parse(at)).atWork, true, at);
    }
    assert.equal(iso(availability(always, Date.parse('2026-03-28T12:00:00.000Z')).until), '2026-03-28T23:00:00.000Z');
  });

  test('someone whose leave outlasts the search has no next start', () => {
    const state = availability(person('UTC', { leave: [{ from: '2026-01-01', to: '2028-12-31' }] }), Date.parse('2026-03-02T10:00:00Z'));
    assert.deepEqual(state, { atWork: false, until: null, reason: 'leave' });
  });
});
