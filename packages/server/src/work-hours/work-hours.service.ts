import { AVAILABILITY_ROOM_LIMIT, type Availability, type Holiday, type HolidayKind, type OffWorkSummary, type PersonalSchedule, type PersonAvailability, type Schedule, type WorkHoursPolicy, type WorkingHours } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { RoomsService } from '../rooms/rooms.service';
import { countMentions } from '../messages/mentions.access';
import { availability, currentPeriod, type AvailabilityAt } from './availability';
import type { Clock } from '../clock';
import { holidaysFromCsv, holidaysFromIcs } from './holiday-import';
import { NO_PERSONAL_CHOICES, scheduleOf, type LoadedPolicy, type PersonalChoices } from './person-schedule';
import { QuietHours } from './quiet-hours';
import { shippedHolidays } from './shipped-calendars';
import {
  claimSummaryRelease,
  deleteHolidayRow,
  deleteScheduleRow,
  departmentExists,
  findPeoplePlacement,
  findPersonalScheduleRows,
  listHolidayRows,
  listScheduleRows,
  ORGANISATION,
  readDepartmentParents,
  upsertHolidayRows,
  upsertPersonalScheduleRow,
  upsertScheduleRow,
  type PersonalChoicesRow,
  type PersonalScheduleRow,
  type WorkScheduleRow,
} from './work-hours.repository';

export interface WorkHoursDeps {
  db: Kysely<Database>;
  rooms: RoomsService;
  clock: Clock;
  /**
   * Called after a change that may move someone between at work and off: the policy or the calendar (everyone) or a
   * person's own schedule. The stream reloads the quiet hours of the open connections it names; the change is
   * answered once they have, so the next message after it is delivered by the new hours.
   */
  onSchedulesChanged?: (who: readonly string[] | 'everyone') => Promise<void>;
}

/** A sender's quiet hours on their own clock and the departments they belong to directly. */
export interface SenderSchedule {
  quietHours: QuietHours;
  departmentIds: readonly string[];
}

/** A fresh install works Monday to Friday, 09:00–18:00, on the server's clock until the admin names a time zone. */
const DEFAULT_HOURS: WorkingHours = { days: [1, 2, 3, 4, 5], start: '09:00', end: '18:00' };

/**
 * Work hours: the admin's schedules and holiday calendar, each person's own schedule, and from them whether
 * someone is at work. Admin changes are audited; one's own schedule is one's own business and is not.
 */
export class WorkHoursService {
  constructor(private readonly deps: WorkHoursDeps) {}

  async getPolicy(): Promise<WorkHoursPolicy> {
    const rows = await listScheduleRows(this.deps.db);
    const organisation = rows.find((row) => row.department_id === ORGANISATION);
    return {
      organisation: organisation ? toSchedule(organisation) : defaultSchedule(),
      departments: rows.filter((row) => row.department_id !== ORGANISATION).map((row) => ({ departmentId: row.department_id, schedule: toSchedule(row) })),
      personalHoursAllowed: organisation ? organisation.personal_hours_allowed === 1 : true,
    };
  }

  /** One audited change per part named: the organisation's schedule and choice, and/or one department's own hours. */
  async setPolicy(actor: Actor, changes: { organisation?: Schedule | undefined; personalHoursAllowed?: boolean | undefined; department?: { departmentId: string; schedule: Schedule | null } | undefined }): Promise<WorkHoursPolicy> {
    const current = await this.getPolicy();
    const at = this.deps.clock.now();
    await this.deps.db.transaction().execute(async (trx) => {
      if (changes.organisation !== undefined || changes.personalHoursAllowed !== undefined) {
        const schedule = changes.organisation ?? current.organisation;
        const personalHoursAllowed = changes.personalHoursAllowed ?? current.personalHoursAllowed;
        await upsertScheduleRow(trx, { ...scheduleColumns(ORGANISATION, schedule, actor, at), personal_hours_allowed: personalHoursAllowed ? 1 : 0 });
        await recordAudit(trx, { actorId: actor.userId, action: 'work_hours.schedule_set', target: { type: 'work_schedule', id: 'organisation' }, data: { schedule, personalHoursAllowed }, ip: actor.ip });
      }
      if (changes.department !== undefined) await this.setDepartment(trx, actor, changes.department.departmentId, changes.department.schedule, at);
    });
    await this.deps.onSchedulesChanged?.('everyone');
    return this.getPolicy();
  }

  /** A department's own hours, or (null) back to its parent's or the organisation's; removing twice changes nothing. */
  private async setDepartment(trx: Transaction<Database>, actor: Actor, departmentId: string, schedule: Schedule | null, at: number): Promise<void> {
    if (!(await departmentExists(trx, departmentId))) throw new AppError('DEPARTMENT_NOT_FOUND');
    const target = { type: 'work_schedule' as const, id: departmentId };
    if (schedule !== null) {
      await upsertScheduleRow(trx, { ...scheduleColumns(departmentId, schedule, actor, at), personal_hours_allowed: 1 });
      await recordAudit(trx, { actorId: actor.userId, action: 'work_hours.schedule_set', target, data: { departmentId, schedule }, ip: actor.ip });
    } else if ((await deleteScheduleRow(trx, departmentId)) > 0) {
      await recordAudit(trx, { actorId: actor.userId, action: 'work_hours.schedule_removed', target, data: { departmentId }, ip: actor.ip });
    }
  }

  async listHolidays(year?: number): Promise<Holiday[]> {
    return (await listHolidayRows(this.deps.db, year)).map(toHoliday);
  }

  async removeHoliday(actor: Actor, date: string): Promise<Holiday[]> {
    await this.deps.db.transaction().execute(async (trx) => {
      if ((await deleteHolidayRow(trx, date)) === 0) throw new AppError('HOLIDAY_NOT_FOUND');
      await recordAudit(trx, { actorId: actor.userId, action: 'work_hours.holidays_changed', target: { type: 'holiday_calendar', id: 'organisation' }, data: { source: 'manual', removed: date }, ip: actor.ip });
    });
    await this.deps.onSchedulesChanged?.('everyone');
    return this.listHolidays();
  }

  /** Reads the whole source before writing anything, so a bad row or file leaves the calendar as it was. */
  async addHolidays(actor: Actor, input: { source: 'days' | 'ics' | 'csv' | 'prc'; days?: Holiday[] | undefined; text?: string | undefined; kind: HolidayKind; years?: number[] | undefined }) {
    const days = await this.daysFrom(input);
    const counts = await this.writeHolidays(actor, days, input.source);
    await this.deps.onSchedulesChanged?.('everyone');
    return { ...counts, holidays: await this.listHolidays() };
  }

  private async daysFrom(input: { source: 'days' | 'ics' | 'csv' | 'prc'; days?: Holiday[] | undefined; text?: string | undefined; kind: HolidayKind; years?: number[] | undefined }): Promise<Holiday[]> {
    switch (input.source) {
      case 'days':
        return input.days ?? [];
      case 'ics':
        return holidaysFromIcs(input.text ?? '', input.kind);
      case 'csv':
        return holidaysFromCsv(input.text ?? '');
      case 'prc':
        return shippedHolidays('prc', input.years);
    }
  }

  async getMine(actor: Pick<Actor, 'userId'>) {
    const { policy, choices, effective, person } = await this.scheduleOfOne(actor.userId);
    return {
      personal: toPersonalSchedule(choices),
      effective,
      availability: toAvailability(availability(person, this.deps.clock.now()), person.timeZone),
      personalHoursAllowed: policy.personalHoursAllowed,
    };
  }

  async setMine(actor: Actor, changes: { hours?: WorkingHours | null | undefined; leave?: PersonalSchedule['leave'] | undefined; doNotDisturbUntil?: string | null | undefined }) {
    const policy = await this.getPolicy();
    if (changes.hours != null && !policy.personalHoursAllowed) throw new AppError('PERSONAL_HOURS_NOT_ALLOWED');
    const current = (await this.personalChoicesOf([actor.userId])).get(actor.userId) ?? NO_PERSONAL_CHOICES;
    const hours = changes.hours === undefined ? current.hours : changes.hours;
    const doNotDisturbUntil = changes.doNotDisturbUntil === undefined ? current.doNotDisturbUntil : changes.doNotDisturbUntil === null ? null : Date.parse(changes.doNotDisturbUntil);
    const row: PersonalChoicesRow = {
      user_id: actor.userId,
      days: hours ? JSON.stringify(hours.days) : null,
      start_time: hours?.start ?? null,
      end_time: hours?.end ?? null,
      leave: JSON.stringify(changes.leave ?? current.leave),
      dnd_until: doNotDisturbUntil,
      updated_at: this.deps.clock.now(),
    };
    await upsertPersonalScheduleRow(this.deps.db, row);
    await this.deps.onSchedulesChanged?.([actor.userId]);
    return this.getMine(actor);
  }

  /**
   * The "while you were off" summary, once per working period: at work, the first call of the period (from any
   * session, before or after a restart) gets the counts of mentions since the previous period ended; every later call,
   * and any call while off, gets null.
   */
  async claimOffWorkSummary(actor: Pick<Actor, 'userId'>): Promise<OffWorkSummary | null> {
    const { person } = await this.scheduleOfOne(actor.userId);
    const at = this.deps.clock.now();
    const period = currentPeriod(person, at);
    if (period === undefined) return null;
    if (!(await claimSummaryRelease(this.deps.db, actor.userId, period.start, at))) return null;
    const counts = await countMentions(this.deps.db, actor.userId, { from: period.offSince, to: period.start });
    return { since: new Date(period.offSince).toISOString(), until: new Date(period.start).toISOString(), ...counts };
  }

  /** The other members of a DM or small group the asker belongs to; in a bigger room, nobody. */
  async roomAvailability(actor: Actor, roomId: string): Promise<PersonAvailability[]> {
    const members = await this.deps.rooms.listMembers(actor, roomId);
    if (members.length > AVAILABILITY_ROOM_LIMIT) return [];
    const others = members.map((member) => member.userId).filter((id) => id !== actor.userId);
    const states = await this.availabilityOf(others);
    return others.flatMap((userId) => {
      const state = states.get(userId);
      return state ? [{ userId, ...state }] : [];
    });
  }

  /** Whether each person is at work now: a few queries for the whole batch, never one per person. */
  async availabilityOf(userIds: readonly string[]): Promise<Map<string, Availability>> {
    const [policy, personal, placements] = await Promise.all([this.loadPolicy(), this.personalChoicesOf(userIds), findPeoplePlacement(this.deps.db, userIds)]);
    const at = this.deps.clock.now();
    const states = new Map<string, Availability>();
    for (const [userId, placement] of placements) {
      const { person } = scheduleOf(policy, placement, personal.get(userId) ?? NO_PERSONAL_CHOICES);
      states.set(userId, toAvailability(availability(person, at), person.timeZone));
    }
    return states;
  }

  /** Each person's quiet hours as of now, for the stream: a few queries for the whole batch, like `availabilityOf`. */
  async quietHoursOf(userIds: readonly string[]): Promise<Map<string, QuietHours>> {
    const [policy, personal, placements] = await Promise.all([this.loadPolicy(), this.personalChoicesOf(userIds), findPeoplePlacement(this.deps.db, userIds)]);
    const at = this.deps.clock.now();
    const quiet = new Map<string, QuietHours>();
    for (const [userId, placement] of placements) quiet.set(userId, new QuietHours(scheduleOf(policy, placement, personal.get(userId) ?? NO_PERSONAL_CHOICES).person, at));
    return quiet;
  }

  /**
   * What counting after-hours sends needs of each sender, and the organisation's time zone that weeks are read on: a
   * few queries for the whole batch, like `quietHoursOf`.
   */
  async senderSchedulesOf(userIds: readonly string[]): Promise<{ organisationTimeZone: string; senders: Map<string, SenderSchedule> }> {
    const [policy, personal, placements] = await Promise.all([this.loadPolicy(), this.personalChoicesOf(userIds), findPeoplePlacement(this.deps.db, userIds)]);
    const at = this.deps.clock.now();
    const senders = new Map<string, SenderSchedule>();
    for (const [userId, placement] of placements) {
      const quietHours = new QuietHours(scheduleOf(policy, placement, personal.get(userId) ?? NO_PERSONAL_CHOICES).person, at);
      senders.set(userId, { quietHours, departmentIds: placement.departmentIds });
    }
    return { organisationTimeZone: policy.organisation.timeZone, senders };
  }

  private async scheduleOfOne(userId: string) {
    const [policy, personal, placements] = await Promise.all([this.loadPolicy(), this.personalChoicesOf([userId]), findPeoplePlacement(this.deps.db, [userId])]);
    const choices = personal.get(userId) ?? NO_PERSONAL_CHOICES;
    return { policy, choices, ...scheduleOf(policy, placements.get(userId) ?? { timeZone: null, departmentIds: [] }, choices) };
  }

  private async writeHolidays(actor: Actor, days: readonly Holiday[], source: string): Promise<{ added: number; updated: number }> {
    const at = this.deps.clock.now();
    return this.deps.db.transaction().execute(async (trx: Transaction<Database>) => {
      const counts = await upsertHolidayRows(trx, days.map((day) => ({ day: day.date, kind: day.kind, name: day.name, updated_at: at })));
      const range = days.length === 0 ? {} : { from: days[0]!.date, to: days[days.length - 1]!.date };
      await recordAudit(trx, { actorId: actor.userId, action: 'work_hours.holidays_changed', target: { type: 'holiday_calendar', id: 'organisation' }, data: { source, ...counts, ...range }, ip: actor.ip });
      return counts;
    });
  }

  private async loadPolicy(): Promise<LoadedPolicy> {
    const [policy, parents, holidays] = await Promise.all([this.getPolicy(), readDepartmentParents(this.deps.db), listHolidayRows(this.deps.db)]);
    return {
      organisation: policy.organisation,
      departments: new Map(policy.departments.map((entry) => [entry.departmentId, entry.schedule])),
      parents,
      personalHoursAllowed: policy.personalHoursAllowed,
      calendar: new Map(holidays.map((row) => [row.day, row.kind])),
    };
  }

  private async personalChoicesOf(userIds: readonly string[]): Promise<Map<string, PersonalChoices>> {
    const rows = await findPersonalScheduleRows(this.deps.db, userIds);
    return new Map(rows.map((row) => [row.user_id, toPersonalChoices(row)]));
  }
}

function defaultSchedule(): Schedule {
  return { hours: DEFAULT_HOURS, timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone };
}

function scheduleColumns(departmentId: string, schedule: Schedule, actor: Actor, at: number): Omit<WorkScheduleRow, 'personal_hours_allowed'> {
  return { department_id: departmentId, days: JSON.stringify(schedule.hours.days), start_time: schedule.hours.start, end_time: schedule.hours.end, time_zone: schedule.timeZone, updated_at: at, updated_by: actor.userId };
}

function toSchedule(row: WorkScheduleRow): Schedule {
  return { hours: { days: JSON.parse(row.days) as number[], start: row.start_time, end: row.end_time }, timeZone: row.time_zone };
}

function toHoliday(row: { day: string; kind: HolidayKind; name: string }): Holiday {
  return { date: row.day, kind: row.kind, name: row.name };
}

function toPersonalChoices(row: PersonalScheduleRow): PersonalChoices {
  return {
    hours: row.days !== null && row.start_time !== null && row.end_time !== null ? { days: JSON.parse(row.days) as number[], start: row.start_time, end: row.end_time } : null,
    leave: JSON.parse(row.leave) as PersonalChoices['leave'],
    doNotDisturbUntil: row.dnd_until === null ? null : Number(row.dnd_until),
  };
}

function toPersonalSchedule(choices: PersonalChoices): PersonalSchedule {
  return { hours: choices.hours, leave: [...choices.leave], doNotDisturbUntil: choices.doNotDisturbUntil === null ? null : new Date(choices.doNotDisturbUntil).toISOString() };
}

function toAvailability(state: AvailabilityAt, timeZone: string): Availability {
  return { atWork: state.atWork, until: state.until === null ? null : new Date(state.until).toISOString(), reason: state.reason, timeZone };
}
