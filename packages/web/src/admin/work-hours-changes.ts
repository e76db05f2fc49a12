import type { Holiday, Schedule } from '@enclave/protocol';

/**
 * Changes one part of the work hours policy (the organisation's schedule, whether people may set their own hours, or
 * one department's own hours, null to remove them); the section keeps the whole policy the server answers with.
 */
export type ChangeWorkHours = (change: { organisation?: Schedule; personalHoursAllowed?: boolean; department?: { departmentId: string; schedule: Schedule | null } }) => Promise<void>;

/** What a change to the holiday calendar reports: the whole calendar afterwards, and how many days it added and updated. */
export interface CalendarChange {
  holidays: Holiday[];
  added: number;
  updated: number;
}
