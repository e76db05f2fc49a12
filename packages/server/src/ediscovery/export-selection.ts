import type { RecordsQuery } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import { heldFileIds } from '../records/records-search.access';
import { matchingRecords } from '../records/records-search';
import { heldPositions, heldPositionsOf, positionsOf, selectionPage, type SelectionFilter, type SelectionPosition } from './ediscovery.repository';

/** One record an export covers: a stored message, or an item DLP held for review (`held`), delivered or not. */
export interface SelectedRecord {
  id: string;
  held: boolean;
}

/** What an export covers, read a page of records at a time, grouped by room and in time order within a room. */
export interface Selection {
  pages(limit: number): AsyncGenerator<SelectedRecord[]>;
}

/** Message ids gathered from the compliance search per round: its largest page. */
const SEARCH_PAGE = 1_000;

type Placed = SelectionPosition & { held: boolean };

/**
 * The one door through which an export learns which records a query covers; the transcript relies on the order.
 * Deleted, recalled and hidden messages are included, and so are the items DLP held for review, whatever their
 * outcome: a held item that was never delivered exists nowhere else, and compliance search finds it too. A held
 * item sits at the time it was held.
 *
 * Without words, messages are a keyset walk over `messages`, read afresh by each part of the export, and the held
 * items (few: each waited for an officer) are read once and merged in. With words, compliance search
 * (`matchingRecords`, which also finds words only an earlier version, a deleted or recalled text, or a held item
 * held) decides, once: the records it names are kept in memory, so every part of the export covers the same set
 * even while people keep writing.
 */
export async function openSelection(db: Kysely<Database>, keys: Keyring, query: RecordsQuery): Promise<Selection> {
  if (query.words === undefined || query.words === '') {
    const filter = filterOf(query);
    const held = (await heldPositions(db, filter))
      .filter((item) => filter.hasFile === undefined || heldFileIds(item.details).length > 0 === filter.hasFile)
      .map(({ roomId, createdAt, id }) => ({ roomId, createdAt, id, held: true }))
      .sort(byRoomTimeId);
    return { pages: (limit) => inPages(mergedInOrder(walkMessages(db, filter, limit), held), limit) };
  }
  const messageIds = new Set<string>();
  const heldIds = new Set<string>();
  let after: string | undefined;
  do {
    const page = await matchingRecords(db, keys, query, { after, limit: SEARCH_PAGE });
    for (const record of page.records) {
      if (record.messageId !== null) messageIds.add(record.messageId);
      else if (record.heldId !== null) heldIds.add(record.heldId);
    }
    after = page.next ?? undefined;
  } while (after !== undefined);
  const [messages, held] = await Promise.all([positionsOf(db, [...messageIds]), heldPositionsOf(db, [...heldIds])]);
  const ordered = [...messages.map((position) => ({ ...position, held: false })), ...held.map((position) => ({ ...position, held: true }))].sort(byRoomTimeId);
  return {
    async *pages(limit) {
      for (let start = 0; start < ordered.length; start += limit) yield ordered.slice(start, start + limit).map(selected);
    },
  };
}

function filterOf(query: RecordsQuery): SelectionFilter {
  return {
    custodianIds: query.custodianIds,
    roomIds: query.roomIds,
    from: query.from === undefined ? undefined : Date.parse(query.from),
    to: query.to === undefined ? undefined : Date.parse(query.to),
    label: query.label,
    hasFile: query.hasFile,
  };
}

async function* walkMessages(db: Kysely<Database>, filter: SelectionFilter, limit: number): AsyncGenerator<Placed> {
  let after: SelectionPosition | undefined;
  for (;;) {
    const rows = await selectionPage(db, filter, after, limit);
    for (const row of rows) yield { ...row, held: false };
    if (rows.length < limit) return;
    after = rows[rows.length - 1];
  }
}

/** The walked messages with the held items (already in order) slotted in where they sort. */
async function* mergedInOrder(messages: AsyncGenerator<Placed>, held: readonly Placed[]): AsyncGenerator<Placed> {
  let next = 0;
  for await (const message of messages) {
    while (next < held.length && byRoomTimeId(held[next]!, message) < 0) yield held[next++]!;
    yield message;
  }
  while (next < held.length) yield held[next++]!;
}

async function* inPages(records: AsyncGenerator<Placed>, limit: number): AsyncGenerator<SelectedRecord[]> {
  let page: SelectedRecord[] = [];
  for await (const record of records) {
    page.push(selected(record));
    if (page.length === limit) {
      yield page;
      page = [];
    }
  }
  if (page.length > 0) yield page;
}

function selected(position: Placed): SelectedRecord {
  return { id: position.id, held: position.held };
}

function byRoomTimeId(a: SelectionPosition, b: SelectionPosition): number {
  return a.roomId < b.roomId ? -1 : a.roomId > b.roomId ? 1 : a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}
