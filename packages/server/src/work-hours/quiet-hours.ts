import { availability, type AvailabilityAt, type PersonSchedule } from './availability';

/**
 * Whether one person is off work, answered without the database: their schedule is resolved once (policy,
 * calendar, their own choices) and the answer is kept until the instant it changes (the end of the working period,
 * or the start of the next), then worked out again from the same schedule. The stream asks it for every message it
 * delivers, so this is the whole cost of quiet delivery on fan-out. A change to the schedule replaces the object.
 */
export class QuietHours {
  private state: AvailabilityAt;
  /** When the answer was worked out: an instant before it (a clock set back) is worked out again, never guessed. */
  private since: number;

  constructor(
    private readonly person: PersonSchedule,
    at: number,
  ) {
    this.state = availability(person, at);
    this.since = at;
  }

  isQuietAt(at: number): boolean {
    if (at < this.since || (this.state.until !== null && at >= this.state.until)) {
      this.state = availability(this.person, at);
      this.since = at;
    }
    return !this.state.atWork;
  }
}
