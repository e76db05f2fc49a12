import { z } from 'zod';
import { Id, Timestamp } from './common';
import { FileInfo } from './files';
import { LabelId } from './labels';

/**
 * Which records a compliance search, a legal hold's matter or an eDiscovery export covers. Every part narrows:
 * custodians (senders), rooms, a time range, words, a label, whether files are attached. Empty lists mean "any".
 */
export const RecordsQuery = z.object({
  custodianIds: z.array(Id).max(200).default([]),
  roomIds: z.array(Id).max(200).default([]),
  /** Sent at or after this time. */
  from: Timestamp.optional(),
  /** Sent before this time. */
  to: Timestamp.optional(),
  /** Words to find, English or Chinese, as in people's search; the last word also matches as a prefix. */
  words: z.string().trim().max(500).optional(),
  label: LabelId.optional(),
  hasFile: z.boolean().optional(),
});
export type RecordsQuery = z.infer<typeof RecordsQuery>;
export type RecordsQueryInput = z.input<typeof RecordsQuery>;

/** What a found record is: a message as it stands, an earlier text of an edited one, a deleted or recalled one, or an item DLP held. */
export const RecordKind = z.enum(['current', 'version', 'deleted', 'recalled', 'held']);
export type RecordKind = z.infer<typeof RecordKind>;

/** Names one record: `m:<messageId>` (a message with all its versions) or `h:<heldId>` (a held item). */
export const RecordId = z.string().regex(/^[mh]:[^:]{1,64}$/);

export const RecordsSearchRequest = RecordsQuery.extend({
  limit: z.number().int().min(1).max(200).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export type RecordsSearchRequest = z.input<typeof RecordsSearchRequest>;

/**
 * One found record, without its text: opening it (`openRecord`) shows the text and is audited on its own. A
 * message found by an earlier text of it answers once per matching text, each with its own kind.
 */
export const RecordSummary = z.object({
  recordId: RecordId,
  kind: RecordKind,
  /** For `version`: which earlier text (1 is the text as first sent). */
  version: z.number().int().positive().nullable(),
  messageId: Id.nullable(),
  heldId: Id.nullable(),
  roomId: Id,
  roomName: z.string().nullable(),
  senderId: Id,
  /** When the message was sent, or the item held. */
  at: Timestamp,
  label: LabelId,
  files: z.array(FileInfo),
});
export type RecordSummary = z.infer<typeof RecordSummary>;

export const RecordsSearchResponse = z.object({ records: z.array(RecordSummary), nextCursor: z.string().nullable() });

export const RecordIdParams = z.object({ recordId: RecordId });
export const RecordFileParams = z.object({ recordId: RecordId, fileId: Id });

export const RecordVersion = z.object({ version: z.number().int().positive(), text: z.string(), replacedAt: Timestamp });
export const RecordReaction = z.object({ userId: Id, emoji: z.string(), at: Timestamp });
/** A message of the opened record's thread: its root and replies, with their texts. */
export const RecordThreadMessage = z.object({ messageId: Id, senderId: Id, at: Timestamp, text: z.string(), state: z.enum(['current', 'deleted', 'recalled']) });

/** One record in full, as an officer opens it (audited as `compliance.record_opened`). */
export const RecordDetail = z.object({
  recordId: RecordId,
  kind: z.enum(['message', 'held']),
  roomId: Id,
  roomName: z.string().nullable(),
  senderId: Id,
  at: Timestamp,
  label: LabelId,
  /** The text as it stands now (a deleted or recalled message's too), or the held text. */
  text: z.string(),
  deletedAt: Timestamp.nullable(),
  recalledAt: Timestamp.nullable(),
  editedAt: Timestamp.nullable(),
  /** Earlier texts, oldest first. */
  versions: z.array(RecordVersion),
  reactions: z.array(RecordReaction),
  /** Its thread (root first, then replies in order), itself included; empty when not in a thread. */
  thread: z.array(RecordThreadMessage),
  files: z.array(FileInfo),
  /** Present (and true) when some stored text of it does not open: that text is empty. */
  unreadable: z.literal(true).optional(),
});
export type RecordDetail = z.infer<typeof RecordDetail>;
export const RecordResponse = z.object({ record: RecordDetail });
