import type { RecordsQuery } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import { selectionPage, type SelectionPosition } from './ediscovery.repository';

export interface SelectionPage {
  ids: string[];
  /** Pass back as `after` for the next page; null after the last. */
  next: string | null;
}

/**
 * The one door through which an export learns which messages a query covers, a page at a time, grouped by room and
 * in time order within a room (the transcript relies on that). Deleted, recalled and hidden messages are included.
 * Words are refused here: finding them needs the compliance search's index, which replaces this selection.
 */
export async function selectMessageIds(db: Kysely<Database>, query: RecordsQuery, after: string | null, limit: number): Promise<SelectionPage> {
  checkSelectable(query);
  const filter = {
    custodianIds: query.custodianIds,
    roomIds: query.roomIds,
    from: query.from === undefined ? undefined : Date.parse(query.from),
    to: query.to === undefined ? undefined : Date.parse(query.to),
    label: query.label,
    hasFile: query.hasFile,
  };
  const rows = await selectionPage(db, filter, after === null ? undefined : decodePosition(after), limit);
  const last = rows[rows.length - 1];
  return { ids: rows.map((row) => row.id), next: rows.length === limit && last ? encodePosition(last) : null };
}

/** Refuses what this selection cannot honour, before anything is streamed. */
export function checkSelectable(query: RecordsQuery): void {
  if (query.words !== undefined && query.words !== '') {
    throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'query.words', message: 'exporting by words is not supported yet: narrow by custodians, rooms, dates, label or files' }] });
  }
}

function encodePosition(position: SelectionPosition): string {
  return Buffer.from(JSON.stringify([position.roomId, position.createdAt, position.id])).toString('base64url');
}

function decodePosition(cursor: string): SelectionPosition {
  const [roomId, createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [string, number, string];
  return { roomId, createdAt, id };
}
