/**
 * What the scheduled sends take the time from. The server uses the system clock; tests inject their own and move
 * it forward instead of sleeping.
 */
export interface Clock {
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };
