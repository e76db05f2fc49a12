import type { RecordsQueryInput } from '@enclave/protocol';
import { dayAfter, startOfDay } from '../search/day-bounds';

/** The officer's search as the form holds it: days as the officer sees them, not instants. */
export interface RecordsSearchForm {
  words: string;
  custodianIds: ReadonlySet<string>;
  rooms: ReadonlyMap<string, string>;
  fromDay: string;
  untilDay: string;
  label: string;
  withFiles: boolean;
}

export const emptyRecordsSearch: RecordsSearchForm = { words: '', custodianIds: new Set(), rooms: new Map(), fromDay: '', untilDay: '', label: '', withFiles: false };

/** The form as the shared records query: each part only when set; the until day is included. */
export function toRecordsQuery(form: RecordsSearchForm, timeZone: string | undefined): RecordsQueryInput {
  return {
    custodianIds: [...form.custodianIds],
    roomIds: [...form.rooms.keys()],
    ...(form.words.trim() ? { words: form.words.trim() } : {}),
    ...(form.fromDay ? { from: startOfDay(form.fromDay, timeZone).toISOString() } : {}),
    ...(form.untilDay ? { to: startOfDay(dayAfter(form.untilDay), timeZone).toISOString() } : {}),
    ...(form.label ? { label: form.label } : {}),
    ...(form.withFiles ? { hasFile: true } : {}),
  };
}
