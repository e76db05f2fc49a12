import type { RecordsQuery } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database, MessageRow } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { MAX_QUERY_PHRASES, parseQuery, searchEveryRoom, searchTerms, type HashedQuery } from '../search/search.access';
import { indexPendingRecords } from './records-index';
import { currentPositionsBelow, decodeRecordsCursor, encodeRecordsCursor, messageRank, type RecordsCursor } from './records-order';
import { currentMessageRows, recordRows, type RecordsFilter } from './records-search.repository';

/**
 * The records a `RecordsQuery` matches, for compliance search and for the features that act on what a query
 * covers (legal holds, eDiscovery export).
 *
 * Contract of `matchingRecords(db, keys, query, { after, limit })`:
 * - Covers every room, whoever is a member, and every text kept: current messages, earlier versions of edited
 *   ones, deleted and recalled messages, and items DLP held (pending, released or rejected). A message appears once
 *   per matching text, each with its `kind`; callers wanting messages collect the distinct `messageId`s (held items
 *   that were never delivered have none, only a `heldId`).
 * - Newest first (records-order.ts). `limit` records per page (at most 1,000); `next` is null on the last page,
 *   otherwise the `after` for the next one. Enumerate everything by looping until `next` is null.
 * - Words are matched through the hashed terms of people's index (current messages) and of the records index
 *   (the rest), the last word as a prefix; a `words` with nothing searchable in it throws VALIDATION_FAILED, as does
 *   an `after` this function did not give.
 * - No access check and no audit: the caller is a compliance-only endpoint, or a hold or export whose creation was
 *   authorised and audited. Nothing is decrypted for the caller: it opens what it needs through the codecs.
 * - Brings the records index up to date first (records-index.ts), so a message deleted a moment ago is found.
 */
export async function matchingRecords(db: Kysely<Database>, keys: Keyring, query: RecordsQuery, page: { after?: string | undefined; limit: number }): Promise<{ records: MatchingRecord[]; next: string | null }> {
  const hashed = hashedWords(keys, query.words);
  const cursor = page.after === undefined ? undefined : requireCursor(page.after);
  const limit = Math.min(Math.max(1, page.limit), MAX_PAGE);
  await indexPendingRecords(db, keys);
  const filter: RecordsFilter = {
    query: hashed,
    senderIds: query.custodianIds,
    roomIds: query.roomIds,
    label: query.label,
    hasFile: query.hasFile,
    from: query.from === undefined ? undefined : Date.parse(query.from),
    until: query.to === undefined ? undefined : Date.parse(query.to),
    before: cursor && { at: cursor.at, rank: cursor.rank },
    limit: limit + 1,
  };
  const [current, kept] = await Promise.all([currentMessages(db, filter, cursor), recordRows(db, filter)]);
  const merged = [...current.map(fromMessage), ...kept.map(fromRecord)].sort((a, b) => b.at - a.at || b.rank - a.rank);
  const records = merged.slice(0, limit);
  const last = records.at(-1);
  if (merged.length <= limit || !last) return { records, next: null };
  const lowestCurrent = Math.min(cursor?.below ?? Number.MAX_SAFE_INTEGER, ...records.filter((record) => record.kind === 'current').map((record) => record.position!));
  return { records, next: encodeRecordsCursor({ at: last.at, rank: last.rank, below: lowestCurrent }) };
}

/** One matching text: what it is, where and when, and how it sorts. */
export interface MatchingRecord {
  kind: 'current' | 'version' | 'deleted' | 'recalled' | 'held';
  messageId: string | null;
  heldId: string | null;
  /** For `version`: which earlier text. */
  version: number | null;
  roomId: string;
  senderId: string;
  /** Epoch milliseconds: sent, or held. */
  at: number;
  rank: number;
  label: string;
  /** A current message's log position (the cursor needs it). */
  position: number | null;
}

const MAX_PAGE = 1_000;

function hashedWords(keys: Keyring, words: string | undefined): HashedQuery | undefined {
  if (words === undefined || words === '') return undefined;
  const parsed = parseQuery(words);
  if (!parsed) throw invalid('words', 'no words to search for');
  if (parsed.phrases.length > MAX_QUERY_PHRASES) throw invalid('words', `at most ${MAX_QUERY_PHRASES} words`);
  return searchTerms(keys).query(parsed);
}

function currentMessages(db: Kysely<Database>, filter: RecordsFilter, cursor: RecordsCursor | undefined): Promise<MessageRow[]> {
  const positionBelow = cursor?.below ?? Number.MAX_SAFE_INTEGER;
  const atPositionBelow = cursor === undefined ? Number.MAX_SAFE_INTEGER : currentPositionsBelow(cursor.rank);
  if (filter.query === undefined) return currentMessageRows(db, { ...filter, positionBelow, atPositionBelow });
  return searchEveryRoom(db, {
    query: filter.query,
    senderIds: filter.senderIds,
    roomIds: filter.roomIds,
    label: filter.label,
    hasFile: filter.hasFile,
    from: filter.from,
    until: filter.until,
    before: cursor && { at: cursor.at, atPositionBelow, positionBelow },
    limit: filter.limit,
  });
}

function fromMessage(row: MessageRow): MatchingRecord {
  const position = Number(row.position);
  return {
    kind: 'current',
    messageId: row.id,
    heldId: null,
    version: null,
    roomId: row.room_id,
    senderId: row.sender_id,
    at: Number(row.created_at),
    rank: messageRank(position, { kind: 'current' }),
    label: row.label,
    position,
  };
}

function fromRecord(row: Awaited<ReturnType<typeof recordRows>>[number]): MatchingRecord {
  return {
    kind: row.kind,
    messageId: row.message_id,
    heldId: row.held_id,
    version: row.version === null ? null : Number(row.version),
    roomId: row.room_id,
    senderId: row.sender_id,
    at: Number(row.at),
    rank: Number(row.rank),
    label: row.label,
    position: null,
  };
}

function requireCursor(text: string): RecordsCursor {
  const cursor = decodeRecordsCursor(text);
  if (!cursor) throw invalid('cursor', 'not a cursor from this API');
  return cursor;
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', { issues: [{ path, message }] });
}
