import type { HolidayKind, LeavePeriod, Schedule, WorkingHours } from '@enclave/protocol';
import type { PersonSchedule } from './availability';

/** The policy as stored, read once for a batch of people. */
export interface LoadedPolicy {
  organisation: Schedule;
  departments: ReadonlyMap<string, Schedule>;
  parents: ReadonlyMap<string, string | null>;
  personalHoursAllowed: boolean;
  calendar: ReadonlyMap<string, HolidayKind>;
}

export interface Placement {
  /** The profile's time zone, when the person chose one. */
  timeZone: string | null;
  departmentIds: readonly string[];
}

export interface PersonalChoices {
  hours: WorkingHours | null;
  leave: readonly LeavePeriod[];
  doNotDisturbUntil: number | null;
}

export const NO_PERSONAL_CHOICES: PersonalChoices = { hours: null, leave: [], doNotDisturbUntil: null };

/**
 * The schedule that applies to one person: their own hours when the policy allows them, else the hours of their
 * nearest department that has some (a sub-department inherits its parent's), else the organisation's. Hours are read
 * on the person's own clock: their profile's time zone, or the schedule's when they chose none.
 */
export function scheduleOf(policy: LoadedPolicy, placement: Placement, personal: PersonalChoices): { effective: Schedule; person: PersonSchedule } {
  const base = departmentScheduleOf(policy, placement.departmentIds) ?? policy.organisation;
  const hours = policy.personalHoursAllowed && personal.hours !== null ? personal.hours : base.hours;
  const timeZone = placement.timeZone ?? base.timeZone;
  return {
    effective: { hours, timeZone },
    person: { timeZone, hours, calendar: policy.calendar, leave: personal.leave, doNotDisturbUntil: personal.doNotDisturbUntil },
  };
}

/** The nearest schedule up the tree from any of the person's departments; a tie goes to the first department listed. */
function departmentScheduleOf(policy: LoadedPolicy, departmentIds: readonly string[]): Schedule | undefined {
  let best: { schedule: Schedule; steps: number } | undefined;
  for (const start of departmentIds) {
    const seen = new Set<string>();
    for (let id: string | null | undefined = start, steps = 0; id && !seen.has(id); id = policy.parents.get(id), steps += 1) {
      seen.add(id);
      const schedule = policy.departments.get(id);
      if (schedule === undefined) continue;
      if (best === undefined || steps < best.steps) best = { schedule, steps };
      break;
    }
  }
  return best?.schedule;
}
