import type { AvailabilityReason, HolidayKind, LeavePeriod, WorkingHours } from '@enclave/protocol';
import { DateTime } from 'luxon';

/** Everything that decides whether one person is at work, already resolved from the policy and their own choices. */
export interface PersonSchedule {
  /** The clock their hours and calendar days are read on: their own time zone, or their schedule's. */
  timeZone: string;
  hours: WorkingHours;
  /** The organisation's holidays and adjusted working days by YYYY-MM-DD. */
  calendar: ReadonlyMap<string, HolidayKind>;
  leave: readonly LeavePeriod[];
  doNotDisturbUntil: number | null;
}

export interface AvailabilityAt {
  atWork: boolean;
  /** When this working period ends (at work) or the next one starts (off); null when none starts within a year. */
  until: number | null;
  reason: AvailabilityReason;
}

/** How far ahead the next working period is looked for: a year and a bit covers any leave and holiday season. */
const SEARCH_DAYS = 400;

/**
 * Whether the person is at work at the instant `at`, and until when. Pure: the hours and calendar days are read on
 * the person's own clock, so the sender's time zone never matters, and a daylight-saving change moves the instants
 * of 09:00 and 18:00, not the wall-clock hours.
 */
export function availability(person: PersonSchedule, at: number): AvailabilityAt {
  const today = DateTime.fromMillis(at, { zone: person.timeZone }).startOf('day');
  const doNotDisturb = person.doNotDisturbUntil !== null && person.doNotDisturbUntil > at ? person.doNotDisturbUntil : null;
  const period = workingPeriodOn(person, today);
  if (doNotDisturb === null && period !== undefined && period.start <= at && at < period.end) return { atWork: true, until: period.end, reason: 'hours' };
  return { atWork: false, until: nextWorkingInstant(person, doNotDisturb ?? at), reason: doNotDisturb !== null ? 'dnd' : offReason(person, today) };
}

/**
 * The working period the person is in at `at`, and when the one before it ended: the stretch between is the time they
 * were off, whose mentions make the summary they get once at the start of this period. Undefined while off.
 */
export function currentPeriod(person: PersonSchedule, at: number): { start: number; end: number; offSince: number } | undefined {
  const today = DateTime.fromMillis(at, { zone: person.timeZone }).startOf('day');
  const period = workingPeriodOn(person, today);
  if (period === undefined || at < period.start || at >= period.end) return undefined;
  for (let offset = 1; offset < SEARCH_DAYS; offset += 1) {
    const before = workingPeriodOn(person, today.minus({ days: offset }));
    if (before !== undefined) return { ...period, offSince: before.end };
  }
  return { ...period, offSince: period.start - SEARCH_DAYS * 86_400_000 };
}

/** The first instant at or after `from` inside a working period. */
function nextWorkingInstant(person: PersonSchedule, from: number): number | null {
  const firstDay = DateTime.fromMillis(from, { zone: person.timeZone }).startOf('day');
  for (let offset = 0; offset < SEARCH_DAYS; offset += 1) {
    const period = workingPeriodOn(person, firstDay.plus({ days: offset }));
    if (period !== undefined && period.end > from) return Math.max(period.start, from);
  }
  return null;
}

function workingPeriodOn(person: PersonSchedule, day: DateTime): { start: number; end: number } | undefined {
  if (!isWorkingDay(person, day)) return undefined;
  return { start: instantOn(day, person.hours.start), end: instantOn(day, person.hours.end) };
}

function isWorkingDay(person: PersonSchedule, day: DateTime): boolean {
  const date = day.toISODate()!;
  if (onLeave(person, date)) return false;
  const kind = person.calendar.get(date);
  if (kind !== undefined) return kind === 'workday';
  return person.hours.days.includes(day.weekday);
}

function offReason(person: PersonSchedule, today: DateTime): AvailabilityReason {
  const date = today.toISODate()!;
  if (onLeave(person, date)) return 'leave';
  const kind = person.calendar.get(date);
  if (kind === 'holiday') return 'holiday';
  if (kind === undefined && !person.hours.days.includes(today.weekday)) return 'weekend';
  return 'hours';
}

function onLeave(person: PersonSchedule, date: string): boolean {
  return person.leave.some((period) => period.from <= date && date <= period.to);
}

/**
 * The instant a wall-clock time falls on that day (the day's start); a time skipped by a daylight-saving change moves
 * forward, and 24:00 is the next day's start.
 */
function instantOn(day: DateTime, wallTime: string): number {
  if (wallTime === '24:00') return day.plus({ days: 1 }).toMillis();
  const [hour, minute] = wallTime.split(':').map(Number);
  return day.set({ hour: hour!, minute: minute! }).toMillis();
}
