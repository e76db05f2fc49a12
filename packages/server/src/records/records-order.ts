/**
 * The order compliance search answers in, newest first: by `at` (a message's send time, a held item's hold time),
 * then by `rank`, which sets apart what shares a millisecond. A message's texts rank by its log position, its
 * current (or deleted, or recalled) text above its earlier versions, later versions above earlier ones; held items
 * rank below all of those, by their row. Positions and send times rise together (the one writer stamps both), so
 * ordering current messages by position, as people's index yields them, is this order too.
 */
const TEXTS_PER_MESSAGE = 1_000;
const CURRENT = 999;
const REMOVED = 998;
/** Versions past this share its rank; an edit count this high is not a chat message's. */
const HIGHEST_RANKED_VERSION = 997;

export type RecordText = { kind: 'current' | 'deleted' | 'recalled' } | { kind: 'version'; version: number };

export function messageRank(position: number, text: RecordText): number {
  const offset = text.kind === 'current' ? CURRENT : text.kind === 'version' ? Math.min(text.version, HIGHEST_RANKED_VERSION) : REMOVED;
  return position * TEXTS_PER_MESSAGE + offset;
}

/** The positions whose current text ranks below `rank`: those below the returned one. */
export function currentPositionsBelow(rank: number): number {
  return Math.ceil((rank - CURRENT) / TEXTS_PER_MESSAGE);
}

/** Where a page ended: the last record's (at, rank), and the lowest position of a current message given so far. */
export interface RecordsCursor {
  at: number;
  rank: number;
  below: number;
}

export function encodeRecordsCursor(cursor: RecordsCursor): string {
  return Buffer.from(JSON.stringify(cursor)).toString('base64url');
}

/** The cursor, or undefined when the string is not one this API gave. */
export function decodeRecordsCursor(text: string): RecordsCursor | undefined {
  try {
    const { at, rank, below } = JSON.parse(Buffer.from(text, 'base64url').toString()) as Partial<RecordsCursor>;
    if ([at, rank, below].every((value) => typeof value === 'number' && Number.isSafeInteger(value))) return { at: at!, rank: rank!, below: below! };
  } catch {
    // Falls through: not a cursor.
  }
  return undefined;
}
