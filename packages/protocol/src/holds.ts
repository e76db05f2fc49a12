import { z } from 'zod';
import { Id, Timestamp } from './common';
import { RecordsQuery } from './records';

/**
 * What a legal hold covers: custodians (senders) and/or rooms, and a time range, in the shared records query. A
 * hold keeps whole messages, so the content filters of a search (words, label, has-file) are refused: a hold that
 * kept only the messages matching a word would let everything else around them be erased.
 */
export const HoldCoverage = RecordsQuery.superRefine((query, context) => {
  for (const field of ['words', 'label', 'hasFile'] as const) {
    if (query[field] !== undefined) context.addIssue({ code: 'custom', path: [field], message: 'a legal hold covers custodians, rooms and dates only' });
  }
  if (query.custodianIds.length === 0 && query.roomIds.length === 0) {
    context.addIssue({ code: 'custom', path: ['custodianIds'], message: 'name at least one custodian or room' });
  }
  if (query.from !== undefined && query.to !== undefined && query.from >= query.to) {
    context.addIssue({ code: 'custom', path: ['to'], message: 'the range ends before it starts' });
  }
});
export type HoldCoverage = z.infer<typeof HoldCoverage>;

/** A legal hold matter as the compliance officer sees it. */
export const HoldMatter = z.object({
  id: Id,
  name: z.string(),
  description: z.string(),
  covers: RecordsQuery,
  createdBy: Id,
  createdAt: Timestamp,
  updatedAt: Timestamp,
  /** Set once released: the matter keeps nothing from then on. */
  releasedAt: Timestamp.nullable(),
  releasedBy: Id.nullable(),
});
export type HoldMatter = z.infer<typeof HoldMatter>;

export const HoldCreateRequest = z.object({
  name: z.string().trim().min(1).max(200),
  description: z.string().trim().max(2000).default(''),
  covers: HoldCoverage,
});
export const HoldUpdateRequest = z.object({
  name: z.string().trim().min(1).max(200).optional(),
  description: z.string().trim().max(2000).optional(),
  covers: HoldCoverage.optional(),
});
export const HoldIdParams = z.object({ holdId: Id });
export const HoldListRequest = z.object({ includeReleased: z.stringbool().default(false) });
export const HoldResponse = z.object({ hold: HoldMatter });
export const HoldListResponse = z.object({ holds: z.array(HoldMatter) });

/** The data of LEGAL_HOLD: the matter that keeps what the request would erase. */
export const LegalHoldData = z.object({ holdId: Id, holdName: z.string() });
