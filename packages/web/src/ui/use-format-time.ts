import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { useMe } from '../session/session-context';

export interface TimeFormats {
  time(at: string): string;
  full(at: string): string;
  day(at: string): string;
  /** The date and the time, short: what a watermark prints. */
  dateTime(at: string): string;
  /** The calendar day in the reader's time zone, to tell whether two moments fall on the same day. */
  dayKey(at: string): string;
  /** The reader's time zone (IANA name); undefined: the device's own. */
  timeZone: string | undefined;
}

/** Dates and times in the reader's language, and in their profile's time zone when they chose one. */
export function useFormatTime(): TimeFormats {
  const { i18n } = useTranslation();
  const me = useMe();
  const timeZone = me.timeZone ?? undefined;
  return useMemo(() => {
    const zone: { timeZone?: string } = timeZone && knownZone(timeZone) ? { timeZone } : {};
    const time = new Intl.DateTimeFormat(i18n.language, { hour: 'numeric', minute: '2-digit', ...zone });
    const full = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeStyle: 'short', ...zone });
    const day = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', ...zone });
    const dateTime = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'medium', timeStyle: 'short', ...zone });
    const key = new Intl.DateTimeFormat('en-CA', { year: 'numeric', month: '2-digit', day: '2-digit', ...zone });
    return {
      time: (at) => time.format(new Date(at)),
      full: (at) => full.format(new Date(at)),
      day: (at) => day.format(new Date(at)),
      dateTime: (at) => dateTime.format(new Date(at)),
      dayKey: (at) => key.format(new Date(at)),
      timeZone: zone.timeZone,
    };
  }, [i18n.language, timeZone]);
}

function knownZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en', { timeZone });
    return true;
  } catch {
    // A zone this browser does not know (older tz data): the device's own zone is the best remaining guess.
    return false;
  }
}
