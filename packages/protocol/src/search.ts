import { z } from 'zod';
import { Id, Timestamp } from './common';
import { LabelId } from './labels';
import { Message } from './messages';

export const SEARCH_QUERY_MAX = 200;

/**
 * Full-text search over the messages the caller may read now. The words of `q` must all occur (a Chinese part is
 * split into words as messages are, so 错误 finds 系统错误日志); English ignores case and the last word also matches
 * as a prefix. Filters combine; `before`/`after` bound the send time (`after` inclusive, `before` exclusive).
 */
export const SearchRequest = z.object({
  /** Kept as typed: a trailing space says the last word is complete (no prefix match). */
  q: z
    .string()
    .max(SEARCH_QUERY_MAX)
    .refine((q) => q.trim().length > 0, 'nothing to search for'),
  roomId: Id.optional(),
  /** The sender's user id. */
  from: Id.optional(),
  before: Timestamp.optional(),
  after: Timestamp.optional(),
  label: LabelId.optional(),
  /** Only messages with (true) or without (false) a file. */
  hasFile: z.union([z.boolean(), z.stringbool()]).optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
  cursor: z.string().max(200).optional(),
});

/** Where the query's words occur in `message.text`: [start, end) offsets in UTF-16 code units, sorted, not overlapping. */
export const SearchHighlight = z.tuple([z.number().int().nonnegative(), z.number().int().nonnegative()]);
export const SearchResult = z.object({
  /** The message as history returns it. */
  message: Message,
  highlights: z.array(SearchHighlight),
});
export type SearchResult = z.infer<typeof SearchResult>;

/** Newest first. `nextCursor` fetches the next page; null on the last one. */
export const SearchResponse = z.object({ results: z.array(SearchResult), nextCursor: z.string().nullable() });
