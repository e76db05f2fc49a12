import i18next from 'i18next';

let chosenZone: string | undefined;

/** The signed-in person's chosen time zone; unset follows the device. */
export function setUserTimeZone(zone: string | null | undefined): void {
  chosenZone = zone ?? undefined;
}

export function deviceTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

/** Formats a date in the reader's language and chosen time zone; every date on screen should go through here. */
export function formatDateTime(at: string | number | Date, options: Intl.DateTimeFormatOptions): string {
  return new Intl.DateTimeFormat(i18next.language, { ...options, ...(chosenZone ? { timeZone: chosenZone } : {}) }).format(new Date(at));
}
