import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { HubEvent } from './hub-event';
import { eventsAfter, messagesAfter, readLogHead } from './event-log.repository';
import { hubEventsFromRows } from './log-entries';
import type { Keyring } from '../keys/keyring';

const PAGE = 500;

/** The last position written so far: where a connection without a cursor starts, and what its backlog runs up to. */
export function logHead(db: Kysely<Database>): Promise<number> {
  return readLogHead(db);
}

/**
 * Everything the user may see after a position, in position order, as ready frames. New messages are chosen by
 * the query (membership, clearance, not hidden); an event about a message goes only where `mayRead` allows its
 * label, as live delivery does. Messages and other events
 * live in two tables sharing one position sequence; each is read a page at a time and the two are merged, never
 * going past the last position of a page that came back full (the other table may have entries before it).
 */
export async function* backlogAfter(db: Kysely<Database>, keys: Keyring, reader: { userId: string; mayRead(label: string): boolean }, after: number): AsyncGenerator<HubEvent> {
  const { userId } = reader;
  let cursor = after;
  for (;;) {
    const [messages, events] = await Promise.all([messagesAfter(db, userId, cursor, PAGE), eventsAfter(db, userId, cursor, PAGE)]);
    const entries = await hubEventsFromRows(db, keys, messages, events);
    const limits = [messages, events].filter((rows) => rows.length === PAGE).map((rows) => Number(rows[rows.length - 1]!.position));
    const safeUpTo = limits.length > 0 ? Math.min(...limits) : Infinity;
    for (const entry of entries) {
      if (entry.position > safeUpTo) break;
      if (entry.label === undefined || reader.mayRead(entry.label)) yield entry;
      cursor = entry.position;
    }
    if (limits.length === 0) return;
  }
}
