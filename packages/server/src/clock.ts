/**
 * Where the server reads the time for anything that must move when a test moves it: scheduled sends going out,
 * work hours and quiet delivery. It is handed to the app when it is built (`BuildOptions.clock`), so tests set the
 * hour and move it on instead of sleeping or depending on the wall clock.
 */
export interface Clock {
  /** Milliseconds since the epoch, like Date.now(). */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
