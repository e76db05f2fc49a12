import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { attachedFileTexts } from '../files/files.access';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import { bodyKeyOwners, decodeBody, messagePlace } from '../messages/message-body.codec';
import type { CpuWorkPool } from '../worker-pool/cpu-work-pool';
import { documentParts, documentWords } from './document-words';
import { searchTermHasher, type IndexTerm, type SearchTermHasher } from './search-terms';
import { backfillMark, deleteDocuments, deleteRoomDocuments, insertDocuments, setBackfillMark, takeBackfillPage } from './search.repository';

/**
 * Keeps the search index in step with storage. Every function that writes runs inside the transaction that changes
 * the messages (the writer's batch, an edit, a delete or recall, a room's deletion), so search is never ahead of or
 * behind what members can read. The terms themselves (words hashed with the search key, search-terms.ts) are found
 * before that transaction (`messageTerms`), on the CPU work pool when the text is long: tokenising and hashing
 * 200,000 characters of a document inside the writer's transaction would hold up every other write, and on the
 * event loop every other request. Each position is
 * indexed at most once at a time (SQLite's contentless FTS5 table does not refuse a second row with the same
 * rowid): new positions by the writer, an edit after removing the old words, stored messages only below the
 * backfill mark, which every later message is above.
 */

/** What a message is found by: the terms of its text, and of the names and extracted text of its files. */
export interface IndexedMessage {
  position: number;
  terms: IndexTerm[];
}

/** What a message's words are read from. */
export interface MessageContent {
  text: string;
  files?: readonly { name: string; text: string }[];
}

/**
 * The terms a message is found by, its words as `document-words.ts` bounds them. Should the pool not finish in
 * time, the message is still found by its text and its files' names, worked on here: a message's text is at most
 * 10,000 characters (tens of milliseconds at worst), a bounded price for not losing it from search; only the
 * files' contents are missed.
 */
export async function messageTerms(work: CpuWorkPool, keys: Keyring, message: MessageContent): Promise<IndexTerm[]> {
  const searchKey = keys.key('search');
  const terms = await work.run({ kind: 'document-terms', parts: documentParts(message.text, message.files), searchKey });
  if (terms) return terms;
  return searchTermHasher(searchKey).documentTerms(documentWords([message.text, ...(message.files ?? []).map((file) => file.name)]));
}

/** The terms of a message as an edit leaves it: its new text, and the files it keeps. Call before the edit's transaction. */
export async function editedMessageTerms(db: Kysely<Database>, work: CpuWorkPool, keys: Keyring, messageId: string, text: string): Promise<IndexTerm[]> {
  const files = (await attachedFileTexts(db, keys, [messageId])).get(messageId) ?? [];
  return messageTerms(work, keys, { text, files });
}

/** The hasher a search's words are turned into terms with: the same key, and so the same terms, as the index's. */
export function searchTerms(keys: Keyring): SearchTermHasher {
  return searchTermHasher(keys.key('search'));
}

/** New messages (or a released one), by position, with their terms. */
export async function indexMessages(trx: Transaction<Database>, messages: readonly IndexedMessage[]): Promise<void> {
  await insertDocuments(trx, messages);
}

/** An edit: the message is found by its new terms only (`editedMessageTerms`, which keep its files'). */
export async function reindexMessage(trx: Transaction<Database>, position: number, terms: IndexTerm[]): Promise<void> {
  await deleteDocuments(trx, [position]);
  await insertDocuments(trx, [{ position, terms }]);
}

/** A delete or recall: nobody may find the message again. */
export async function unindexMessage(trx: Transaction<Database>, position: number): Promise<void> {
  await deleteDocuments(trx, [position]);
}

/** The retention purge: erased messages leave no words behind. */
export async function unindexMessages(trx: Transaction<Database>, positions: readonly number[]): Promise<void> {
  await deleteDocuments(trx, positions);
}

/** A room's deletion: none of its words may stay behind. Call before its messages are erased. */
export async function unindexRoom(trx: Transaction<Database>, roomId: string): Promise<void> {
  await deleteRoomDocuments(trx, roomId);
}

const BACKFILL_PAGE = 2_000;

/**
 * Indexes the messages stored before the index was built (before search existed, or before its words were hashed,
 * when a migration emptied it), newest first, a page per transaction, with the words of their text and of their
 * files' names and text, as a send indexes them; runs at start, after the keyring is open and before the server
 * listens, and returns at once when nothing waits. Deleted and recalled messages are skipped, as the index never
 * holds them; so is a message whose stored text does not open (it is damaged: it answers as such when read, and
 * stays out of search rather than stopping the start).
 */
export async function indexStoredMessages(db: Kysely<Database>, keys: Keyring): Promise<void> {
  const hasher = searchTerms(keys);
  while ((await backfillMark(db)) > 0) {
    await db.transaction().execute(async (trx) => {
      const rows = await takeBackfillPage(trx, BACKFILL_PAGE);
      const visible = rows.filter((row) => row.deleted_at === null && row.recalled_at === null);
      await keys.ensure(trx, bodyKeyOwners(visible.map((row) => row.room_id)));
      const filesOf = await attachedFileTexts(trx, keys, visible.map((row) => row.id));
      const documents: IndexedMessage[] = [];
      for (const row of visible) {
        const text = storedText(keys, row);
        if (text === undefined) continue;
        const parts = documentParts(text, filesOf.get(row.id));
        documents.push({ position: Number(row.position), terms: hasher.documentTerms(documentWords(parts)) });
      }
      await insertDocuments(trx, documents, { ifAbsent: true });
      await setBackfillMark(trx, rows.length < BACKFILL_PAGE ? 0 : Number(rows.at(-1)!.position));
    });
  }
}

function storedText(keys: Keyring, row: { id: string; room_id: string; body: string }): string | undefined {
  try {
    return decodeBody(keys, messagePlace(row.room_id, row.id), row.body);
  } catch (error) {
    if (error instanceof ContentDamaged) return undefined;
    throw error;
  }
}
