import { readFile } from 'node:fs/promises';
import { Holiday } from '@enclave/protocol';

/**
 * The calendars shipped as data beside this module (calendars/<name>.json: the official source and, by year, the
 * days), so a new year's official notice is a data change, never a code change. Read when an admin loads one.
 */
export async function shippedHolidays(calendar: 'prc', years?: readonly number[]): Promise<Holiday[]> {
  const file = JSON.parse(await readFile(new URL(`./calendars/${calendar}.json`, import.meta.url), 'utf8')) as { years: Record<string, unknown> };
  return Object.entries(file.years)
    .filter(([year]) => years === undefined || years.includes(Number(year)))
    .flatMap(([, days]) => Holiday.array().parse(days));
}
