import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { attachedFilesWithText } from '../files/files.repository';
import { decodeBody } from '../messages/message-body.codec';
import { indexWords } from './search-tokens';
import { backfillMark, deleteDocuments, deleteRoomDocuments, insertDocuments, setBackfillMark, takeBackfillPage } from './search.repository';

/**
 * Keeps the search index in step with storage. Every function runs inside the transaction that changes the
 * messages (the writer's batch, an edit, a delete or recall, a room's deletion), so search is never ahead of or
 * behind what members can read. Each position is indexed at most once at a time (SQLite's contentless FTS5 table
 * does not refuse a second row with the same rowid): new positions by the writer, an edit after removing the old
 * words, stored messages only below the backfill mark, which every later message is above.
 */

/** What a message is found by: its text, and the names and extracted text of the files it carries. */
export interface IndexedMessage {
  position: number;
  text: string;
  files?: readonly { name: string; text: string }[];
}

/** New messages (or a released one): their visible text and files, by position. */
export async function indexMessages(trx: Transaction<Database>, messages: readonly IndexedMessage[]): Promise<void> {
  await insertDocuments(trx, messages.map((message) => ({ position: message.position, words: documentWords(message) })));
}

/** An edit: the message is found by its new words only, and still by its files, which an edit keeps. */
export async function reindexMessage(trx: Transaction<Database>, message: { id: string; position: number }, text: string): Promise<void> {
  const files = (await attachedFilesWithText(trx, [message.id])).map((file) => ({ name: file.name, text: file.extracted_text }));
  await deleteDocuments(trx, [message.position]);
  await indexMessages(trx, [{ position: message.position, text, files }]);
}

/** A delete or recall: nobody may find the message again. */
export async function unindexMessage(trx: Transaction<Database>, position: number): Promise<void> {
  await deleteDocuments(trx, [position]);
}

/** A room's deletion: none of its words may stay behind. Call before its messages are erased. */
export async function unindexRoom(trx: Transaction<Database>, roomId: string): Promise<void> {
  await deleteRoomDocuments(trx, roomId);
}

const BACKFILL_PAGE = 2_000;

/**
 * Indexes the messages stored before search existed, newest first, a page per transaction; runs at start and
 * returns at once when nothing waits. Deleted and recalled messages are skipped, as the index never holds them.
 */
export async function indexStoredMessages(db: Kysely<Database>): Promise<void> {
  while ((await backfillMark(db)) > 0) {
    await db.transaction().execute(async (trx) => {
      const rows = await takeBackfillPage(trx, BACKFILL_PAGE);
      const visible = rows.filter((row) => row.deleted_at === null && row.recalled_at === null);
      await insertDocuments(trx, visible.map((row) => ({ position: Number(row.position), words: indexWords(decodeBody(row.body)) })), { ifAbsent: true });
      await setBackfillMark(trx, rows.length < BACKFILL_PAGE ? 0 : Number(rows.at(-1)!.position));
    });
  }
}

/** PostgreSQL keeps word positions up to 16,383; phrases further on could not be matched anyway. */
const MAX_DOCUMENT_WORDS = 16_383;
/** With the positions, this keeps a document's tsvector well under PostgreSQL's 1 MB. */
const MAX_DOCUMENT_CHARACTERS = 200_000;

/**
 * The words of one message's document, at most MAX_DOCUMENT_WORDS and MAX_DOCUMENT_CHARACTERS of them: a message's
 * own text is far below both, but ten files' extracted text is not, and PostgreSQL refuses a tsvector over 1 MB.
 * The text comes first, then the files' names, then their texts in order; what lies past the bound is not found.
 */
function documentWords(message: IndexedMessage): string[] {
  const files = message.files ?? [];
  const parts = [message.text, ...files.map((file) => file.name), ...files.map((file) => file.text)];
  const words: string[] = [];
  let characters = 0;
  for (const part of parts) {
    for (const word of indexWords(part)) {
      characters += word.length;
      if (words.length === MAX_DOCUMENT_WORDS || characters > MAX_DOCUMENT_CHARACTERS) return words;
      words.push(word);
    }
  }
  return words;
}
