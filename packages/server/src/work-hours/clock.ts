/**
 * Where the server reads the time for anything that depends on the hour of the day (work hours, quiet delivery).
 * It is handed to the app when it is built, so tests set the hour instead of sleeping or depending on the wall clock.
 */
export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
