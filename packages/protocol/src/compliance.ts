import { z } from 'zod';
import { Id, Timestamp } from './common';
import { DlpRuleRef, UnreadFile } from './dlp';
import { FileInfo } from './files';
import { LabelId } from './labels';

/** What a held item would do once released: a new message, an edit of one, or a forward. */
export const HeldKind = z.enum(['send', 'edit', 'forward']);
export const ReviewStatus = z.enum(['pending', 'released', 'rejected']);
export type ReviewStatus = z.infer<typeof ReviewStatus>;

/** A message a DLP `review` rule held back, as the compliance officer sees it. */
export const HeldMessage = z.object({
  id: Id,
  kind: HeldKind,
  status: ReviewStatus,
  roomId: Id,
  roomName: z.string().nullable(),
  senderId: Id,
  /** The held text in full: the officer must read it to decide. */
  text: z.string(),
  /** The files it would carry; the officer opens them through `heldFileContent`, not as a room member. */
  files: z.array(FileInfo),
  label: LabelId,
  rules: z.array(DlpRuleRef),
  heldAt: Timestamp,
  decidedBy: Id.nullable(),
  decidedAt: Timestamp.nullable(),
  note: z.string().nullable(),
  /** The message delivered on release (for an edit, the message edited). */
  messageId: Id.nullable(),
  /** Present (and true) only when the held text is damaged and cannot be decrypted: `text` is then empty. */
  unreadable: z.literal(true).optional(),
});
export type HeldMessage = z.infer<typeof HeldMessage>;

export const ReviewListRequest = z.object({
  status: ReviewStatus.default('pending'),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
});
export const ReviewListResponse = z.object({ reviews: z.array(HeldMessage), nextCursor: z.string().nullable() });
export const ReviewIdParams = z.object({ reviewId: Id });
export const HeldFileParams = z.object({ reviewId: Id, fileId: Id });
export const ReviewDecisionRequest = z.object({ note: z.string().trim().max(500).optional() });
export const ReviewResponse = z.object({ review: HeldMessage });
/** What the sender is told in DLP_HELD_FOR_REVIEW's data. */
export const HeldForReviewData = z.object({ reviewId: Id, rules: z.array(DlpRuleRef), unreadFiles: z.array(UnreadFile).optional() });

export const AuditEntry = z.object({
  seq: z.number().int().positive(),
  at: Timestamp,
  actorId: Id.nullable(),
  action: z.string(),
  target: z.object({ type: z.string(), id: z.string() }).nullable(),
  data: z.record(z.string(), z.unknown()),
  ip: z.string().nullable(),
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof AuditEntry>;
/** What the audit log is narrowed to, in the viewer and in its CSV export; the parts combine. */
export const AuditFilterFields = {
  /** Only this action, or a family of actions ending in `.` (`dlp.`). */
  action: z.string().max(64).optional(),
  /** Only what this person did. */
  actorId: Id.optional(),
  /** Only entries about this room: as their target or named in their details. */
  roomId: Id.optional(),
  /** From this time on (inclusive)... */
  from: Timestamp.optional(),
  /** ...and before this one. */
  to: Timestamp.optional(),
};
export const AuditListRequest = z.object({
  ...AuditFilterFields,
  /** Entries with a lower sequence number than this (newest first). */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const AuditListResponse = z.object({
  entries: z.array(AuditEntry),
  /** Whether the whole chain verified when this page was read. */
  chainIntact: z.boolean(),
  /**
   * Names of the people and rooms this page mentions (actors, targets, ids in details), by id; a room without a
   * name (a direct message) and an id that is neither are absent.
   */
  names: z.record(z.string(), z.string()),
});
export const AuditExportRequest = z.object(AuditFilterFields);
export type AuditQuery = z.infer<typeof AuditExportRequest>;

/**
 * A signed anchor of the audit chain: the entry at `seq` had hash `headHash` at `at`, signed with the audit key
 * `keyId` (Ed25519, base64). The same object is one line of the checkpoints file kept outside the database.
 */
export const AuditCheckpoint = z.object({
  seq: z.number().int().positive(),
  headHash: z.string().regex(/^[0-9a-f]{64}$/),
  at: Timestamp,
  keyId: z.string().regex(/^[0-9a-f]{16}$/),
  signature: z.string().min(1).max(200),
});
export type AuditCheckpoint = z.infer<typeof AuditCheckpoint>;
export const AuditCheckpointListRequest = z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) });
export const AuditCheckpointListResponse = z.object({
  /** Newest first. */
  checkpoints: z.array(AuditCheckpoint),
  keyId: z.string(),
  /** The public half of the audit key, to check checkpoints and signed exports offline. */
  publicKeyPem: z.string(),
});
