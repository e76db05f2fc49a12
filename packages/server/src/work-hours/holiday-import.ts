import { Holiday, type HolidayKind } from '@enclave/protocol';
import { parse as parseCsv } from 'csv-parse/sync';
import ICAL from 'ical.js';
import { AppError } from '../http/app-error';

/** More days than any real calendar file holds for a few years; a bigger file is a mistake or an attack. */
const MAX_DAYS = 3000;
/** Recurring events (a yearly holiday) are expanded this far from their first day. */
const RECURRENCE_YEARS = 3;
const DAY = 86_400_000;

/**
 * The holidays and adjusted working days of an iCalendar file: every day an event covers (all-day events end on
 * the day before DTEND, as RFC 5545 says). An event whose summary says it is a working day (上班, 补班, "working
 * day", "workday") is one; any other is `kind`.
 */
export function holidaysFromIcs(text: string, kind: HolidayKind): Holiday[] {
  let events: ICAL.Event[];
  try {
    events = new ICAL.Component(ICAL.parse(text)).getAllSubcomponents('vevent').map((component) => new ICAL.Event(component));
  } catch (error) {
    throw new AppError('CALENDAR_IMPORT_INVALID', { reason: error instanceof Error ? error.message : 'not an iCalendar file' });
  }
  if (events.length === 0) throw new AppError('CALENDAR_IMPORT_INVALID', { reason: 'the calendar has no events' });
  const days = new Map<string, Holiday>();
  for (const event of events) {
    const name = (event.summary ?? '').trim().slice(0, 100);
    const eventKind = saysWorkingDay(name) ? 'workday' : kind;
    for (const start of occurrences(event)) {
      const length = Math.max(1, event.isRecurring() || !event.endDate ? 1 : daysBetween(event.startDate, event.endDate));
      for (let offset = 0; offset < length; offset += 1) {
        const date = new Date(utcDay(start) + offset * DAY).toISOString().slice(0, 10);
        days.set(date, { date, kind: eventKind, name });
        if (days.size > MAX_DAYS) throw new AppError('CALENDAR_IMPORT_INVALID', { reason: `more than ${MAX_DAYS} days` });
      }
    }
  }
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

/** Rows `date,kind,name` (a header row naming `date` first is skipped); kind is holiday or workday, or 休 / 班. */
export function holidaysFromCsv(text: string): Holiday[] {
  let rows: string[][];
  try {
    rows = parseCsv(text, { relax_column_count: true, skip_empty_lines: true, trim: true, bom: true }) as string[][];
  } catch (error) {
    throw new AppError('CALENDAR_IMPORT_INVALID', { reason: error instanceof Error ? error.message : 'not CSV' });
  }
  if (rows[0]?.[0]?.toLowerCase() === 'date') rows = rows.slice(1);
  if (rows.length === 0) throw new AppError('CALENDAR_IMPORT_INVALID', { reason: 'the file has no rows' });
  if (rows.length > MAX_DAYS) throw new AppError('CALENDAR_IMPORT_INVALID', { reason: `more than ${MAX_DAYS} days` });
  const days = new Map<string, Holiday>();
  rows.forEach(([date, kind, name], index) => {
    const parsed = Holiday.safeParse({ date, kind: kindWords[kind?.toLowerCase() ?? ''] ?? kind, name: name ?? '' });
    if (!parsed.success) throw new AppError('CALENDAR_IMPORT_INVALID', { line: index + 1, reason: 'each row is date (YYYY-MM-DD), kind (holiday or workday) and a name' });
    days.set(parsed.data.date, parsed.data);
  });
  return [...days.values()].sort((a, b) => a.date.localeCompare(b.date));
}

const kindWords: Record<string, HolidayKind> = { 休: 'holiday', 假: 'holiday', 班: 'workday', 上班: 'workday', 补班: 'workday' };

function saysWorkingDay(summary: string): boolean {
  return /上班|补班|working day|workday/i.test(summary);
}

function* occurrences(event: ICAL.Event): Generator<ICAL.Time> {
  if (!event.isRecurring()) {
    yield event.startDate;
    return;
  }
  const last = event.startDate.year + RECURRENCE_YEARS;
  const iterator = event.iterator();
  for (let next = iterator.next(); next && next.year < last; next = iterator.next()) yield next;
}

function daysBetween(start: ICAL.Time, end: ICAL.Time): number {
  if (!start.isDate) return 1;
  return Math.round((utcDay(end) - utcDay(start)) / DAY);
}

/** The calendar day of a time as it reads in its own zone, as the UTC midnight of that date (only the date counts). */
function utcDay(time: ICAL.Time): number {
  return Date.UTC(time.year, time.month - 1, time.day);
}
