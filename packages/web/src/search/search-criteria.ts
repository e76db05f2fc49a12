import type { EndpointInput } from '@enclave/protocol';
import { dayAfter, startOfDay } from './day-bounds';

/** What the reader asked for, as the search form holds it. */
export interface SearchCriteria {
  /** The words, kept as typed: a trailing space tells the server the last word is complete. */
  text: string;
  roomId: string | undefined;
  senderId: string | undefined;
  /** Calendar days (yyyy-mm-dd) in the reader's time zone, both included. */
  fromDay: string | undefined;
  untilDay: string | undefined;
  label: string | undefined;
  /** Only messages that carry a file. */
  withFiles: boolean;
}

export const NO_CRITERIA: SearchCriteria = { text: '', roomId: undefined, senderId: undefined, fromDay: undefined, untilDay: undefined, label: undefined, withFiles: false };

export type SearchQuery = NonNullable<EndpointInput<'search'>['query']>;

/** How many results a page brings. */
export const SEARCH_PAGE = 20;

/** Whether any filter narrows the search. */
export function hasFilters(criteria: SearchCriteria): boolean {
  const { roomId, senderId, fromDay, untilDay, label, withFiles } = criteria;
  return [roomId, senderId, fromDay, untilDay, label].some((value) => value !== undefined) || withFiles;
}

/** The request for the criteria, or undefined while there are no words to search for. */
export function searchQueryOf(criteria: SearchCriteria, timeZone: string | undefined): SearchQuery | undefined {
  if (criteria.text.trim() === '') return undefined;
  return {
    q: criteria.text,
    limit: SEARCH_PAGE,
    ...(criteria.roomId ? { roomId: criteria.roomId } : {}),
    ...(criteria.senderId ? { from: criteria.senderId } : {}),
    ...(criteria.fromDay ? { after: startOfDay(criteria.fromDay, timeZone).toISOString() } : {}),
    ...(criteria.untilDay ? { before: startOfDay(dayAfter(criteria.untilDay), timeZone).toISOString() } : {}),
    ...(criteria.label ? { label: criteria.label } : {}),
    ...(criteria.withFiles ? { hasFile: true } : {}),
  };
}
