import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import { attachedFileTexts } from '../files/files.access';
import { bodyKeyOwners, decodeBody, heldPlace, messagePlace, versionPlace, type BodyPlace } from '../messages/message-body.codec';
import { documentParts, documentWords, searchTerms, type IndexTerm } from '../search/search.access';
import { messageRank } from './records-order';
import { insertRecord, pendingHeld, pendingRemoved, pendingVersions } from './records-search.repository';

/**
 * Keeps the compliance records index up to date with what people's search drops: earlier texts of edited messages,
 * deleted and recalled messages, and items DLP held. Rather than a hook in every write path (edit, delete, recall,
 * hold), the index catches up from storage before each compliance search and each `matchingRecords` call: what is
 * pending is found by an anti-join against `records` (deleted and recalled messages through a partial index), so an
 * up-to-date index costs three small queries. Texts are opened with message-body.codec and hashed with the search
 * key, exactly as people's index hashes them; a text that does not open is recorded without terms (found by its
 * filters, never by words). Idempotent and safe to run from two requests at once.
 */
export async function indexPendingRecords(db: Kysely<Database>, keys: Keyring): Promise<void> {
  while ((await indexVersions(db, keys)) + (await indexRemoved(db, keys)) + (await indexHeld(db, keys)) > 0);
}

const PAGE = 500;

async function indexVersions(db: Kysely<Database>, keys: Keyring): Promise<number> {
  const rows = await pendingVersions(db, PAGE);
  if (rows.length === 0) return 0;
  await keys.ensure(db, bodyKeyOwners(rows.map((row) => row.room_id)));
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const text = openedText(keys, versionPlace(row.room_id, row.message_id, row.version), row.body);
      await insertRecord(
        trx,
        {
          source: `v:${row.message_id}:${row.version}`,
          kind: 'version',
          message_id: row.message_id,
          version: row.version,
          held_id: null,
          room_id: row.room_id,
          sender_id: row.sender_id,
          at: Number(row.created_at),
          rank: messageRank(Number(row.position), { kind: 'version', version: row.version }),
          label: row.label,
          has_file: Number(row.has_file),
        },
        termsOf(keys, text, []),
      );
    }
  });
  return rows.length;
}

async function indexRemoved(db: Kysely<Database>, keys: Keyring): Promise<number> {
  const rows = await pendingRemoved(db, PAGE);
  if (rows.length === 0) return 0;
  await keys.ensure(db, bodyKeyOwners(rows.map((row) => row.room_id)));
  const filesOf = await attachedFileTexts(db, keys, rows.map((row) => row.id));
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const kind = row.recalled_at === null ? 'deleted' : 'recalled';
      const text = openedText(keys, messagePlace(row.room_id, row.id), row.body);
      await insertRecord(
        trx,
        {
          source: `d:${row.id}`,
          kind,
          message_id: row.id,
          version: null,
          held_id: null,
          room_id: row.room_id,
          sender_id: row.sender_id,
          at: Number(row.created_at),
          rank: messageRank(Number(row.position), { kind }),
          label: row.label,
          has_file: Number(row.has_file),
        },
        termsOf(keys, text, filesOf.get(row.id) ?? []),
      );
    }
  });
  return rows.length;
}

async function indexHeld(db: Kysely<Database>, keys: Keyring): Promise<number> {
  const rows = await pendingHeld(db, PAGE);
  if (rows.length === 0) return 0;
  await keys.ensure(db, bodyKeyOwners(rows.map((row) => row.room_id)));
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const text = openedText(keys, heldPlace(row.room_id, row.id), row.body);
      await insertRecord(
        trx,
        {
          source: `h:${row.id}`,
          kind: 'held',
          message_id: null,
          version: null,
          held_id: row.id,
          room_id: row.room_id,
          sender_id: row.sender_id,
          at: Number(row.held_at),
          // Replaced by the row's id, negated, once it has one (records-order.ts).
          rank: 0,
          label: row.label,
          has_file: heldFileIds(row.details).length > 0 ? 1 : 0,
        },
        termsOf(keys, text, []),
      );
    }
  });
  return rows.length;
}

/** The files a held send or forward would carry, as its details keep them. */
export function heldFileIds(details: string): string[] {
  return (JSON.parse(details) as { fileIds?: string[] }).fileIds ?? [];
}

function termsOf(keys: Keyring, text: string | undefined, files: readonly { name: string; text: string }[]): IndexTerm[] {
  if (text === undefined) return [];
  return searchTerms(keys).documentTerms(documentWords(documentParts(text, files)));
}

/** The stored text, or undefined when it does not open (it answers as damaged when the record is opened). */
export function openedText(keys: Keyring, place: BodyPlace, stored: string): string | undefined {
  try {
    return decodeBody(keys, place, stored);
  } catch (error) {
    if (error instanceof ContentDamaged) return undefined;
    throw error;
  }
}
