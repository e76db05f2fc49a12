import { z } from 'zod';
import { Id, Timestamp } from './common';
import { TimeZone } from './profile';

/** A time of day on the wall clock, HH:MM in 24 hours; 24:00 is the end of the day (for hours that run to midnight). */
export const WallTime = z.string().regex(/^(([01]\d|2[0-3]):[0-5]\d|24:00)$/, 'must be a time of day as HH:MM');
/** A calendar day, YYYY-MM-DD, read in the time zone of whoever it applies to. */
export const CalendarDay = z.iso.date();
/** ISO weekdays: 1 is Monday, 7 is Sunday. */
export const Weekday = z.number().int().min(1).max(7);

/**
 * Working days and hours. A working period starts and ends on the same day (no overnight shifts yet), so the end
 * is after the start.
 */
export const WorkingHours = z
  .object({
    days: z.array(Weekday).min(1).max(7).refine((days) => new Set(days).size === days.length, 'a day is named twice'),
    start: WallTime,
    end: WallTime,
  })
  .refine((hours) => hours.start < hours.end, { path: ['end'], message: 'the working day ends before it starts' });
export type WorkingHours = z.infer<typeof WorkingHours>;

/** A department's or the organisation's schedule: its hours on the clock of its time zone. */
export const Schedule = z.object({ hours: WorkingHours, timeZone: TimeZone });
export type Schedule = z.infer<typeof Schedule>;

export const DepartmentSchedule = z.object({ departmentId: Id, schedule: Schedule });
export type DepartmentSchedule = z.infer<typeof DepartmentSchedule>;

export const WorkHoursPolicy = z.object({
  organisation: Schedule,
  /** Departments with hours of their own; a sub-department without any follows its nearest parent that has them. */
  departments: z.array(DepartmentSchedule),
  /** Whether people may set hours of their own; leave and "do not disturb" are always theirs to set. */
  personalHoursAllowed: z.boolean(),
});
export type WorkHoursPolicy = z.infer<typeof WorkHoursPolicy>;

/**
 * One change to the policy: the organisation's schedule, whether people may set their own hours, and/or one
 * department's own schedule (null: it follows its parent's or the organisation's again).
 */
export const WorkHoursPolicyRequest = z
  .object({
    organisation: Schedule.optional(),
    personalHoursAllowed: z.boolean().optional(),
    department: z.object({ departmentId: Id, schedule: Schedule.nullable() }).optional(),
  })
  .refine((v) => v.organisation !== undefined || v.personalHoursAllowed !== undefined || v.department !== undefined, 'nothing to change');
export const WorkHoursPolicyResponse = z.object({ policy: WorkHoursPolicy });

/** A day off for everyone (a public holiday) or a working day that would otherwise be off (调休, an adjusted working day). */
export const HolidayKind = z.enum(['holiday', 'workday']);
export type HolidayKind = z.infer<typeof HolidayKind>;
export const Holiday = z.object({ date: CalendarDay, kind: HolidayKind, name: z.string().max(100) });
export type Holiday = z.infer<typeof Holiday>;

export const HolidayListRequest = z.object({ year: z.coerce.number().int().min(1970).max(9999).optional() });
export const HolidayListResponse = z.object({ holidays: z.array(Holiday) });
export const HolidayDateParams = z.object({ date: CalendarDay });

/**
 * Days to put on the calendar: listed (`days`), from an iCalendar file (each all-day event a holiday, its kind
 * `kind` unless its summary says it is a working day) or CSV rows `date,kind,name` (`text`), or a calendar shipped
 * with Enclave: the PRC's public holidays and adjusted working days (`prc`, optionally only some `years`).
 */
export const HolidayAddRequest = z
  .object({
    source: z.enum(['days', 'ics', 'csv', 'prc']),
    days: z.array(Holiday).min(1).max(400).optional(),
    text: z.string().min(1).max(1_000_000).optional(),
    kind: HolidayKind.default('holiday'),
    years: z.array(z.number().int()).min(1).max(5).optional(),
  })
  .refine((v) => (v.source === 'days') === (v.days !== undefined), { path: ['days'], message: 'list the days for source "days", and only then' })
  .refine((v) => (v.source === 'ics' || v.source === 'csv') === (v.text !== undefined), { path: ['text'], message: 'an ICS or CSV import carries its text, and only it' });
export const HolidayAddResponse = z.object({ added: z.number().int().nonnegative(), updated: z.number().int().nonnegative(), holidays: z.array(Holiday) });

export const LeavePeriod = z
  .object({ from: CalendarDay, to: CalendarDay })
  .refine((period) => period.from <= period.to, { path: ['to'], message: 'the leave ends before it starts' });
export type LeavePeriod = z.infer<typeof LeavePeriod>;

/** One's own schedule within the policy; the time zone is the profile's. */
export const PersonalSchedule = z.object({
  /** Own hours instead of the department's or organisation's, when the policy allows them; null follows the policy. */
  hours: WorkingHours.nullable(),
  /** Days off and leave, inclusive, on one's own calendar. */
  leave: z.array(LeavePeriod).max(100),
  /** Nothing pings until then. */
  doNotDisturbUntil: Timestamp.nullable(),
});
export type PersonalSchedule = z.infer<typeof PersonalSchedule>;
export const PersonalScheduleRequest = z
  .object({ hours: WorkingHours.nullable().optional(), leave: z.array(LeavePeriod).max(100).optional(), doNotDisturbUntil: Timestamp.nullable().optional() })
  .refine((v) => Object.values(v).some((field) => field !== undefined), 'nothing to change');

export const AvailabilityReason = z.enum(['hours', 'weekend', 'holiday', 'leave', 'dnd']);
export type AvailabilityReason = z.infer<typeof AvailabilityReason>;

/**
 * Whether someone is at work now and until when: the end of this working period, or the start of the next (null
 * when no working day comes within a year). The reason says why they are off, or is `hours` while they work.
 */
export const Availability = z.object({ atWork: z.boolean(), until: Timestamp.nullable(), reason: AvailabilityReason, timeZone: TimeZone });
export type Availability = z.infer<typeof Availability>;

export const MyWorkHoursResponse = z.object({ personal: PersonalSchedule, effective: Schedule, availability: Availability, personalHoursAllowed: z.boolean() });

export const PersonAvailability = z.object({ userId: Id, atWork: z.boolean(), until: Timestamp.nullable(), reason: AvailabilityReason, timeZone: TimeZone });
export type PersonAvailability = z.infer<typeof PersonAvailability>;
export const RoomAvailabilityParams = z.object({ roomId: Id });
/** The other members of a small room; a room above the limit answers with nobody (the hint is for DMs and small groups). */
export const RoomAvailabilityResponse = z.object({ people: z.array(PersonAvailability) });
/** The largest room whose members' availability is shown to a sender. */
export const AVAILABILITY_ROOM_LIMIT = 20;

/** "While you were off: 3 mentions in 2 rooms": counts of the mentions between the end of one's last working period and the start of this one. */
export const OffWorkSummary = z.object({ since: Timestamp, until: Timestamp, mentions: z.number().int().nonnegative(), rooms: z.number().int().nonnegative() });
export type OffWorkSummary = z.infer<typeof OffWorkSummary>;
/** The summary for the first caller of a working period; null for every later one, and while off. */
export const OffWorkSummaryResponse = z.object({ summary: OffWorkSummary.nullable() });

/** The most weeks one after-hours report covers, and how many it covers when asked for no range. */
export const AFTER_HOURS_REPORT_MAX_WEEKS = 26;
export const AFTER_HOURS_REPORT_DEFAULT_WEEKS = 8;

/**
 * The weeks (Monday to Sunday on the organisation's clock) containing `from` through the one containing `to`, at most
 * 26. Without `to`: up to this week; without `from`: the 8 weeks ending with `to`'s.
 */
export const AfterHoursReportRequest = z
  .object({ from: CalendarDay.optional(), to: CalendarDay.optional() })
  .refine((v) => v.from === undefined || v.to === undefined || v.from <= v.to, { path: ['to'], message: 'the range ends before it starts' });
export const AfterHoursWeek = z.object({ weekStart: CalendarDay, total: z.number().int().nonnegative() });
export type AfterHoursWeek = z.infer<typeof AfterHoursWeek>;
/**
 * One department's after-hours messages, a count per week of the report in its order; a message of someone in two
 * departments counts in both. `departmentId` null is the
 * people in no department; `name` is null for them and for a department deleted since.
 */
export const AfterHoursDepartmentRow = z.object({ departmentId: Id.nullable(), name: z.string().nullable(), counts: z.array(z.number().int().nonnegative()) });
export type AfterHoursDepartmentRow = z.infer<typeof AfterHoursDepartmentRow>;
/** Counts only: how many messages were sent by people off work, per department of the sender and per week. */
export const AfterHoursReport = z.object({
  /** The first week's Monday and the last week's Sunday. */
  from: CalendarDay,
  to: CalendarDay,
  /** The organisation's time zone, on whose clock the weeks are read. */
  timeZone: TimeZone,
  /** Every week of the range, oldest first; `total` counts each message once, whatever its sender's departments. */
  weeks: z.array(AfterHoursWeek),
  /** Departments with at least one count in the range, by name, the people in no department last. */
  departments: z.array(AfterHoursDepartmentRow),
});
export type AfterHoursReport = z.infer<typeof AfterHoursReport>;
export const AfterHoursReportResponse = z.object({ report: AfterHoursReport });
