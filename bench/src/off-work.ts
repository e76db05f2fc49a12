import type { Schedule } from '@enclave/protocol';
import { EnclaveClient } from '@enclave/sdk';
import { mapWithLimit } from './concurrency';
import type { BenchUser } from './enclave-setup';
import { nodeHttpFetch } from './node-http-fetch';

/** Each member's own PATCH in flight at once: enough to switch 500 people in a few seconds, few enough not to time out. */
const SWITCH_CONCURRENCY = 16;
const DAY_MS = 86_400_000;

/**
 * Every day of the week, all day, on UTC's clock: whoever is not on leave is at work whatever the hour the bench runs
 * at, so the only people off work are the ones the bench puts on leave.
 */
export const ALWAYS_AT_WORK: Schedule = { hours: { days: [1, 2, 3, 4, 5, 6, 7], start: '00:00', end: '24:00' }, timeZone: 'UTC' };

/** The admin sets the organisation's schedule to `ALWAYS_AT_WORK`; the members have no time zone of their own. */
export async function workAroundTheClock(admin: EnclaveClient): Promise<void> {
  await admin.endpoint('setWorkHoursPolicy')({ body: { organisation: ALWAYS_AT_WORK } });
}

/**
 * Leave from yesterday to tomorrow on UTC's calendar: it covers today however long the run takes, even across
 * midnight.
 */
export function leaveCoveringToday(now: number): { from: string; to: string } {
  const day = (at: number) => new Date(at).toISOString().slice(0, 10);
  return { from: day(now - DAY_MS), to: day(now + DAY_MS) };
}

/**
 * Puts each member on leave covering today (`offWork`) or takes them off it, each through their own
 * `PATCH /api/v1/me/work-hours` as a person would, and checks the server's answer: the availability it computes
 * right after the change must say off work (reason `leave`) or at work. A server whose schedule or calendar makes
 * anyone off work for another reason stops the bench here rather than measuring something else.
 */
export async function setOffWork(baseUrl: string, members: readonly BenchUser[], offWork: boolean): Promise<void> {
  const leave = offWork ? [leaveCoveringToday(Date.now())] : [];
  await mapWithLimit(members, SWITCH_CONCURRENCY, async (member) => {
    const client = new EnclaveClient({ baseUrl, token: member.token, fetch: nodeHttpFetch({ localAddress: member.address }) });
    const { availability } = await client.endpoint('setMyWorkHours')({ body: { leave } });
    const expected = offWork ? { atWork: false, reason: 'leave' } : { atWork: true, reason: 'hours' };
    if (availability.atWork !== expected.atWork || availability.reason !== expected.reason) {
      throw new Error(`${member.user.username} is ${availability.atWork ? 'at work' : `off work (${availability.reason})`} after setting leave ${offWork ? 'covering today' : 'to none'}`);
    }
  });
}
