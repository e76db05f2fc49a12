/**
 * "09:00 Monday" on the clock of the person it is about (the recipient's own time zone for the hint, mine for my
 * banner), in the reader's language.
 */
export function formatUntil(until: string, timeZone: string, language: string): string {
  return new Intl.DateTimeFormat(language, { weekday: 'long', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZone }).format(new Date(until));
}
