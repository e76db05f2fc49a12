import { z } from 'zod';
import { Id, Timestamp } from './common';
import { LabelId } from './labels';

/** What a stored item is: a message or an uploaded file. */
export const ProvenanceItemKind = z.enum(['message', 'file']);
export type ProvenanceItemKind = z.infer<typeof ProvenanceItemKind>;

/** How a copy was found to be one: a forward, the same bytes, a look-alike image, or a lightly edited text. */
export const CopyMatch = z.enum(['forward', 'exact', 'perceptual', 'text-similar']);
export type CopyMatch = z.infer<typeof CopyMatch>;

/**
 * The origin of a message or file whose content matched a labelled item above the label it was given: it took
 * that item's label, and carries this handle back to it. Like a forward's provenance, `roomId` is only a handle;
 * a copy of a copy points at the first original.
 */
export const CopyProvenance = z.object({
  kind: ProvenanceItemKind,
  id: Id,
  roomId: Id,
  senderId: Id,
  createdAt: Timestamp,
  label: LabelId,
  match: CopyMatch.exclude(['forward']),
});
export type CopyProvenance = z.infer<typeof CopyProvenance>;

export const CopyChainParams = z.object({ kind: ProvenanceItemKind, id: Id });

/** One item of a copy chain, as a compliance officer sees it (never its content). */
export const CopyChainItem = z.object({
  kind: ProvenanceItemKind,
  id: Id,
  roomId: Id,
  /** Null when the room was deleted. */
  roomName: z.string().nullable(),
  senderId: Id,
  createdAt: Timestamp,
  label: LabelId,
  /** How it is a copy of the item it came from; null for the origin itself. */
  match: CopyMatch.nullable(),
  /** The item it was copied or forwarded from; null for the origin. */
  copiedFromId: Id.nullable(),
  /** A message recalled or deleted (its row is kept for compliance). */
  withdrawn: z.boolean(),
});
export type CopyChainItem = z.infer<typeof CopyChainItem>;

/** The first original of an item and every known copy of it, forwards and fingerprint matches alike, oldest first. */
export const CopyChainResponse = z.object({ origin: CopyChainItem, copies: z.array(CopyChainItem) });
export type CopyChainResponse = z.infer<typeof CopyChainResponse>;
