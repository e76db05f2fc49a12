import type { Transaction } from 'kysely';
import { DateTime } from 'luxon';
import type { Clock } from '../clock';
import type { Database } from '../db/schema';
import { addAfterHoursCounts, ALL_DEPARTMENTS, NO_DEPARTMENT } from './work-hours.repository';
import type { SenderSchedule, WorkHoursService } from './work-hours.service';

/** Adds the stored sends of one batch (their senders, one entry per message) to the counts, in its transaction. */
export type AfterHoursRecorder = (trx: Transaction<Database>, senderIds: readonly string[]) => Promise<void>;

export interface AfterHoursCounterDeps {
  senderSchedulesOf: WorkHoursService['senderSchedulesOf'];
  clock: Clock;
}

/**
 * Counts messages sent off work for the after-hours report, at send time and without a query per message: each
 * sender's quiet hours and departments are kept in memory from their first send, loaded once per batch for the
 * senders it does not know yet, and forgotten when anything that decides them changes (the same calls that reload
 * the stream's quiet hours). Only counts leave it: per ISO week on the organisation's clock and per department.
 */
export class AfterHoursCounter {
  private readonly senders = new Map<string, SenderSchedule>();
  private organisationTimeZone: string | undefined;
  /** Moves on at every change, so a load that was running meanwhile is used for its batch but not kept. */
  private generation = 0;

  constructor(private readonly deps: AfterHoursCounterDeps) {}

  /**
   * Makes sure the batch's senders are known, before the sending transaction (which must not wait on other reads
   * while it holds SQLite's one writer), and answers the recorder that counts the batch inside it.
   */
  async prepare(senderIds: readonly string[]): Promise<AfterHoursRecorder> {
    const batch = new Map<string, SenderSchedule>();
    const unknown: string[] = [];
    for (const senderId of new Set(senderIds)) {
      const known = this.senders.get(senderId);
      if (known) batch.set(senderId, known);
      else unknown.push(senderId);
    }
    let timeZone = this.organisationTimeZone;
    if (unknown.length > 0 || timeZone === undefined) {
      const generation = this.generation;
      const loaded = await this.deps.senderSchedulesOf(unknown);
      timeZone = loaded.organisationTimeZone;
      for (const [senderId, schedule] of loaded.senders) batch.set(senderId, schedule);
      if (generation === this.generation) {
        this.organisationTimeZone = timeZone;
        for (const [senderId, schedule] of loaded.senders) this.senders.set(senderId, schedule);
      }
    }
    const weekTimeZone = timeZone;
    return async (trx, stored) => {
      const at = this.deps.clock.now();
      const counts = new Map<string, number>();
      for (const senderId of stored) {
        const sender = batch.get(senderId);
        if (sender === undefined || !sender.quietHours.isQuietAt(at)) continue;
        // Someone in two departments counts in both, and once in the total.
        for (const departmentId of [ALL_DEPARTMENTS, ...(sender.departmentIds.length > 0 ? sender.departmentIds : [NO_DEPARTMENT])]) counts.set(departmentId, (counts.get(departmentId) ?? 0) + 1);
      }
      await addAfterHoursCounts(trx, weekStartOf(at, weekTimeZone), counts);
    };
  }

  /** After a change to the policy, the calendar, someone's departments, time zone or own schedule. */
  forget(who: readonly string[] | 'everyone'): void {
    this.generation += 1;
    if (who === 'everyone') {
      this.senders.clear();
      this.organisationTimeZone = undefined;
    } else {
      for (const userId of who) this.senders.delete(userId);
    }
  }
}

/** The Monday (YYYY-MM-DD) starting the ISO week that the instant falls in, on the clock of the time zone. */
export function weekStartOf(at: number, timeZone: string): string {
  return DateTime.fromMillis(at, { zone: timeZone }).startOf('week').toISODate()!;
}
