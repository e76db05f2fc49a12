/**
 * Times a person picks for a scheduled send, read and written as wall-clock times of their own time zone (the
 * profile's, else the device's), whatever zone the browser runs in. A wall time is a `datetime-local` value,
 * "YYYY-MM-DDTHH:mm"; an instant is milliseconds since the epoch, as the server takes it.
 */

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const MONDAY = 1;
/** Presets at a round hour of the working day. */
const WORKDAY_START_HOUR = 9;

/** The three quick choices of the schedule dialog, as instants. */
export interface SendTimePresets {
  inAnHour: number;
  tomorrowMorning: number;
  nextMondayMorning: number;
}

export function sendTimePresets(now: number, timeZone: string): SendTimePresets {
  const today = wallPartsOf(now, timeZone);
  const dayStart = Date.UTC(today.year, today.month - 1, today.day);
  const weekday = new Date(dayStart).getUTCDay();
  // Monday itself counts as "next Monday" only a week on: today's 09:00 is not what the choice promises.
  const daysToMonday = ((MONDAY - weekday + 7) % 7) || 7;
  const morningOf = (daysAhead: number) => instantOfWallFields(dayStart + daysAhead * DAY_MS + WORKDAY_START_HOUR * HOUR_MS, timeZone);
  return {
    // Rounded up to the minute, the finest step the time field shows.
    inAnHour: Math.ceil((now + HOUR_MS) / MINUTE_MS) * MINUTE_MS,
    tomorrowMorning: morningOf(1),
    nextMondayMorning: morningOf(daysToMonday),
  };
}

/** The wall time an instant shows in the zone, as a `datetime-local` value. */
export function wallTimeOf(instant: number, timeZone: string): string {
  const parts = wallPartsOf(instant, timeZone);
  return wallTimeOfUtcFields(Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute));
}

/**
 * The instant a wall time of the zone names; undefined for text that is no wall time. A time skipped by a
 * daylight-saving change resolves to the instant an hour later, the way clocks in that zone read it.
 */
export function instantOfWallTime(wallTime: string, timeZone: string): number | undefined {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})$/.exec(wallTime);
  if (!match) return undefined;
  const [year, month, day, hour, minute] = match.slice(1).map(Number) as [number, number, number, number, number];
  return instantOfWallFields(Date.UTC(year, month - 1, day, hour, minute), timeZone);
}

/** The instant of a wall time given as the UTC instant with the same fields. */
function instantOfWallFields(asUtc: number, timeZone: string): number {
  // The zone's offset at the guess, then at the corrected instant, settles on either side of a change.
  const first = asUtc - offsetAt(asUtc, timeZone);
  return asUtc - offsetAt(first, timeZone);
}

interface WallParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
}

function wallPartsOf(instant: number, timeZone: string): WallParts {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric' });
  const parts = Object.fromEntries(format.formatToParts(new Date(instant)).map((part) => [part.type, Number(part.value)]));
  return { year: parts.year ?? 0, month: parts.month ?? 1, day: parts.day ?? 1, hour: parts.hour ?? 0, minute: parts.minute ?? 0 };
}

/** How far the zone's wall clock is ahead of UTC at the instant, to the minute. */
function offsetAt(instant: number, timeZone: string): number {
  const parts = wallPartsOf(instant, timeZone);
  const wallAsUtc = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute);
  return wallAsUtc - Math.floor(instant / MINUTE_MS) * MINUTE_MS;
}

/** "YYYY-MM-DDTHH:mm" of a UTC instant's own fields: the way wall times are built by arithmetic here. */
function wallTimeOfUtcFields(asUtc: number): string {
  return new Date(asUtc).toISOString().slice(0, 16);
}
