import { z } from 'zod';
import { Id, Timestamp } from './common';
import { LabelId } from './labels';
import { CopyProvenance } from './provenance';

/** Upload limits no policy can raise: the policy's size limit lives in AdminSettings.files. */
export const FILE_NAME_MAX = 200;
export const FILE_SIZE_CEILING = 1024 * 1024 * 1024;
/** How many files one message may carry. */
export const FILES_PER_MESSAGE_MAX = 10;

/**
 * The types Enclave recognises from a file's first bytes (never from its name or the uploader's header). Text is
 * told apart by extension only after the content proved to be UTF-8 text; `application/octet-stream` is anything
 * else, and executables are recognised so that a policy can refuse them by name.
 */
export const FileMime = z.enum([
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'text/markdown',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/zip',
  'application/x-executable',
  'application/octet-stream',
]);
export type FileMime = z.infer<typeof FileMime>;

/** What a fresh install accepts: every recognised type except executables and unrecognised binaries. */
export const DEFAULT_ALLOWED_FILE_TYPES: FileMime[] = FileMime.options.filter((mime) => mime !== 'application/x-executable' && mime !== 'application/octet-stream');

/**
 * A file's display name: no path separators, no control characters, not `.` or `..`, at most FILE_NAME_MAX
 * characters. The server refuses (FILE_NAME_INVALID) rather than silently cleaning a name.
 */
export const FileName = z
  .string()
  .min(1)
  .max(FILE_NAME_MAX)
  // eslint-disable-next-line no-control-regex
  .refine((name) => !/[/\\\u0000-\u001f\u007f-\u009f\u2028\u2029]/.test(name), 'no path separators or control characters')
  .refine((name) => name.trim() === name && name !== '.' && name !== '..', 'no leading or trailing spaces, not . or ..');

export const FileInfo = z.object({
  id: Id,
  name: FileName,
  /** Bytes. */
  size: z.number().int().positive(),
  /** Sniffed from the content. */
  mime: FileMime,
  label: LabelId,
  uploaderId: Id,
  roomId: Id,
  createdAt: Timestamp,
  /** Images only: pixel size, and whether the server made a thumbnail (GET …/thumbnail). */
  width: z.number().int().positive().nullable(),
  height: z.number().int().positive().nullable(),
  hasThumbnail: z.boolean(),
  /** PDFs only: how many pages the rendered view (GET …/pages/:page) has, once one was drawn; null until then. */
  pageCount: z.number().int().positive().nullable(),
  /** Set when its content matched a labelled item above the label it was uploaded with: it took that label, and this origin. */
  copiedFrom: CopyProvenance.nullable().optional(),
  /**
   * Set when the stored file is damaged (its sealed name did not open): `name` is a placeholder, and its content,
   * thumbnail and views answer CONTENT_DAMAGED.
   */
  unreadable: z.literal(true).optional(),
});
export type FileInfo = z.infer<typeof FileInfo>;
export const FileResponse = z.object({ file: FileInfo });

export const RoomFileParams = z.object({ roomId: Id });
export const FileIdParams = z.object({ fileId: Id });
/** A page of a PDF's rendered view, counted from 1. */
export const FilePageParams = z.object({ fileId: Id, page: z.coerce.number().int().min(1).max(10_000) });
/**
 * `inline` shows the file in the browser, `attachment` downloads it. Both send the original bytes, so both are
 * refused for a view-only file (DOWNLOAD_NOT_ALLOWED), whose viewers use the rendered preview and pages instead.
 */
export const FileContentRequest = z.object({ disposition: z.enum(['inline', 'attachment']).default('attachment') });

/** The files shared in a room, newest first, each with the message that carries it. */
export const RoomFilesRequest = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  /** A message id: files of messages older than it. */
  before: Id.optional(),
});
/** `threadRootId`: the message is a thread reply, to be opened in its thread. */
export const RoomFile = z.object({ file: FileInfo, messageId: Id, threadRootId: Id.nullable(), senderId: Id, sentAt: Timestamp });
export const RoomFilesResponse = z.object({ files: z.array(RoomFile), hasMore: z.boolean() });
