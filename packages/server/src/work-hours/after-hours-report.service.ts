import { AFTER_HOURS_REPORT_DEFAULT_WEEKS, AFTER_HOURS_REPORT_MAX_WEEKS, type AfterHoursDepartmentRow, type AfterHoursReport } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import { DateTime } from 'luxon';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Clock } from '../clock';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import { weekStartOf } from './after-hours-counter';
import { ALL_DEPARTMENTS, listAfterHoursCounts, NO_DEPARTMENT } from './work-hours.repository';
import type { WorkHoursService } from './work-hours.service';

export interface AfterHoursReportDeps {
  db: Kysely<Database>;
  clock: Clock;
  workHours: Pick<WorkHoursService, 'getPolicy'>;
  /** The departments the viewer may see, for their names (departments/departments.service.ts). */
  listDepartments: (viewer: Actor) => Promise<ReadonlyArray<{ id: string; name: string }>>;
}

/**
 * The after-hours report for the admin: how many messages people sent off work, per department and week. It is
 * built from counts stored at send time (after-hours-counter.ts), so it never reads a message, and it names no one.
 * Each viewing is audited with its range, like the other reads of records about people.
 */
export class AfterHoursReportService {
  constructor(private readonly deps: AfterHoursReportDeps) {}

  async report(actor: Actor, range: { from?: string | undefined; to?: string | undefined }): Promise<AfterHoursReport> {
    const { organisation } = await this.deps.workHours.getPolicy();
    const weeks = this.weeksOf(range, organisation.timeZone);
    const first = weeks[0]!;
    const last = weeks[weeks.length - 1]!;
    const [counts, departments] = await Promise.all([listAfterHoursCounts(this.deps.db, first, last), this.deps.listDepartments(actor)]);
    const names = new Map(departments.map((department) => [department.id, department.name]));
    const rows = new Map<string, AfterHoursDepartmentRow>();
    const totals = new Map(weeks.map((week) => [week, 0]));
    for (const count of counts) {
      if (count.department_id === ALL_DEPARTMENTS) {
        totals.set(count.week_start, count.messages);
        continue;
      }
      const departmentId = count.department_id === NO_DEPARTMENT ? null : count.department_id;
      let row = rows.get(count.department_id);
      if (row === undefined) {
        row = { departmentId, name: departmentId === null ? null : (names.get(departmentId) ?? null), counts: weeks.map(() => 0) };
        rows.set(count.department_id, row);
      }
      row.counts[weeks.indexOf(count.week_start)] = count.messages;
    }
    const report: AfterHoursReport = {
      from: first,
      to: utcDay(last).plus({ days: 6 }).toISODate()!,
      timeZone: organisation.timeZone,
      weeks: weeks.map((weekStart) => ({ weekStart, total: totals.get(weekStart)! })),
      departments: [...rows.values()].sort(byName),
    };
    await this.deps.db.transaction().execute((trx) =>
      recordAudit(trx, { actorId: actor.userId, action: 'work_hours.report_viewed', data: { from: report.from, to: report.to, departments: report.departments.length }, ip: actor.ip }),
    );
    return report;
  }

  /** The Mondays of the weeks asked for, oldest first; VALIDATION_FAILED past the most one report covers. */
  private weeksOf(range: { from?: string | undefined; to?: string | undefined }, timeZone: string): string[] {
    const lastWeek = range.to === undefined ? weekStartOf(this.deps.clock.now(), timeZone) : mondayOf(range.to);
    const firstWeek = range.from === undefined ? utcDay(lastWeek).minus({ weeks: AFTER_HOURS_REPORT_DEFAULT_WEEKS - 1 }).toISODate()! : mondayOf(range.from);
    const count = Math.round(utcDay(lastWeek).diff(utcDay(firstWeek), 'weeks').weeks) + 1;
    if (count < 1) throw rangeError('from', 'the range ends before it starts');
    if (count > AFTER_HOURS_REPORT_MAX_WEEKS) throw rangeError('to', `a report covers at most ${AFTER_HOURS_REPORT_MAX_WEEKS} weeks`);
    return Array.from({ length: count }, (_, index) => utcDay(firstWeek).plus({ weeks: index }).toISODate()!);
  }
}

/** The Monday of a calendar day's ISO week; a calendar day has no time zone, so it is read as it is written. */
function mondayOf(day: string): string {
  return utcDay(day).startOf('week').toISODate()!;
}

/** Calendar days are counted on UTC, where every day has 24 hours. */
function utcDay(day: string): DateTime {
  return DateTime.fromISO(day, { zone: 'UTC' });
}

function rangeError(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', { issues: [{ path, message }] });
}

/** Departments by name, a deleted one after the named, the people in no department last. */
function byName(a: AfterHoursDepartmentRow, b: AfterHoursDepartmentRow): number {
  const rank = (row: AfterHoursDepartmentRow) => (row.departmentId === null ? 2 : row.name === null ? 1 : 0);
  return rank(a) - rank(b) || (a.name ?? a.departmentId ?? '').localeCompare(b.name ?? b.departmentId ?? '');
}
