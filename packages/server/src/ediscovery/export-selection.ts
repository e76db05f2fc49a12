import type { RecordsQuery } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import { matchingRecords } from '../records/records-search';
import { positionsOf, selectionPage, type SelectionPosition } from './ediscovery.repository';

/** What an export covers, read a page of message ids at a time, grouped by room and in time order within a room. */
export interface Selection {
  pages(limit: number): AsyncGenerator<string[]>;
}

/** Message ids gathered from the compliance search per round: its largest page. */
const SEARCH_PAGE = 1_000;

/**
 * The one door through which an export learns which messages a query covers; the transcript relies on the order.
 * Deleted, recalled and hidden messages are included. Without words the selection is a keyset walk over
 * `messages`, read afresh by each part of the export. With words, compliance search (`matchingRecords`, which also
 * finds words only an earlier version, or a deleted or recalled text, held) decides, once: the messages it names
 * are kept in memory, so every part of the export covers the same set even while people keep writing.
 */
export async function openSelection(db: Kysely<Database>, keys: Keyring, query: RecordsQuery): Promise<Selection> {
  if (query.words === undefined || query.words === '') return { pages: (limit) => walkMessages(db, query, limit) };
  const ids = new Set<string>();
  let after: string | undefined;
  do {
    const page = await matchingRecords(db, keys, query, { after, limit: SEARCH_PAGE });
    for (const record of page.records) if (record.messageId !== null) ids.add(record.messageId);
    after = page.next ?? undefined;
  } while (after !== undefined);
  const ordered = (await positionsOf(db, [...ids])).sort(byRoomTimeId);
  return {
    async *pages(limit) {
      for (let start = 0; start < ordered.length; start += limit) yield ordered.slice(start, start + limit).map((position) => position.id);
    },
  };
}

async function* walkMessages(db: Kysely<Database>, query: RecordsQuery, limit: number): AsyncGenerator<string[]> {
  const filter = {
    custodianIds: query.custodianIds,
    roomIds: query.roomIds,
    from: query.from === undefined ? undefined : Date.parse(query.from),
    to: query.to === undefined ? undefined : Date.parse(query.to),
    label: query.label,
    hasFile: query.hasFile,
  };
  let after: SelectionPosition | undefined;
  for (;;) {
    const rows = await selectionPage(db, filter, after, limit);
    if (rows.length > 0) yield rows.map((row) => row.id);
    if (rows.length < limit) return;
    after = rows[rows.length - 1];
  }
}

function byRoomTimeId(a: SelectionPosition, b: SelectionPosition): number {
  return a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
