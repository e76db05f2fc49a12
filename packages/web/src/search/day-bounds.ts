/**
 * The instant a calendar day (yyyy-mm-dd) begins in a time zone, or in the device's own zone without one: search
 * dates are days as the reader sees them, and they see times in their profile's zone when they chose one.
 */
export function startOfDay(day: string, timeZone: string | undefined): Date {
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number);
  if (timeZone === undefined) return new Date(year, month - 1, date);
  const wallClock = Date.UTC(year, month - 1, date);
  // The zone's offset at midnight is not known before midnight is: a second pass corrects for a change between.
  const guess = wallClock - offsetOf(wallClock, timeZone);
  return new Date(wallClock - offsetOf(guess, timeZone));
}

/** The calendar day after `day` (both yyyy-mm-dd): an exclusive bound that makes `day` itself included. */
export function dayAfter(day: string): string {
  const [year = 1970, month = 1, date = 1] = day.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, date + 1)).toISOString().slice(0, 10);
}

/** How far the zone's wall clock is ahead of UTC at an instant, in milliseconds. */
function offsetOf(at: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(new Date(at));
  const part = (type: Intl.DateTimeFormatPartTypes) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  const wallClock = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return wallClock - (at - (at % 1000));
}
