import type { CeilingBelowContentData, ContentAboveCeiling } from '@enclave/protocol';
import { AppError } from '../http/app-error';
import { DEFAULT_LABEL, type LabelRanks } from '../labels/labels.service';

/**
 * A new room's ceiling and default label. Without a choice the ceiling is Internal, or the lowest clearance among
 * the members when that is lower, so a room can always be made with the people in it; a chosen ceiling must be
 * within every member's clearance.
 */
export function classifyNewRoom(
  ranks: LabelRanks,
  clearances: ReadonlyMap<string, string>,
  requested: { ceiling?: string | undefined; defaultLabel?: string | undefined },
): { ceiling: string; defaultLabel: string } {
  const ceiling = requested.ceiling ?? ranks.lowest(DEFAULT_LABEL, ...clearances.values());
  requireCleared(ranks, clearances, ceiling);
  const defaultLabel = requested.defaultLabel ?? ranks.lowest(DEFAULT_LABEL, ceiling);
  if (!ranks.fits(defaultLabel, ceiling)) throw new AppError('LABEL_ABOVE_ROOM_CEILING', { label: defaultLabel, ceiling });
  return { ceiling, defaultLabel };
}

/** Refuses, naming them, the people whose clearance does not reach the ceiling. */
export function requireCleared(ranks: LabelRanks, clearances: ReadonlyMap<string, string>, ceiling: string): void {
  const below = [...clearances].filter(([, clearance]) => !ranks.fits(ceiling, clearance)).map(([userId]) => userId);
  if (below.length > 0) throw new AppError('CLEARANCE_TOO_LOW', { userIds: below, ceiling });
}

/**
 * A changed classification. Raising the ceiling needs every member cleared for it. A default label above a lowered
 * ceiling comes down to the ceiling. What the room already holds above the new ceiling is decided separately, in
 * the update's transaction (`decideContentAbove`).
 */
export function reclassifyRoom(
  ranks: LabelRanks,
  current: { ceiling: string; defaultLabel: string },
  change: { ceiling?: string | undefined; defaultLabel?: string | undefined },
  context: { clearances: ReadonlyMap<string, string> },
): { ceiling: string; defaultLabel: string } {
  const ceiling = change.ceiling ?? current.ceiling;
  if (ranks.rankOf(ceiling) > ranks.rankOf(current.ceiling)) requireCleared(ranks, context.clearances, ceiling);
  const defaultLabel = change.defaultLabel ?? (ranks.fits(current.defaultLabel, ceiling) ? current.defaultLabel : ceiling);
  if (!ranks.fits(defaultLabel, ceiling)) throw new AppError('LABEL_ABOVE_ROOM_CEILING', { label: defaultLabel, ceiling });
  return { ceiling, defaultLabel };
}

/** Messages and files of a room labelled above a ceiling, counted per label. */
export interface ContentAbove {
  messages: { label: string; count: number }[];
  files: { label: string; count: number }[];
}

/**
 * Content above a new ceiling is never left readable under it: without a decision the change is refused with the
 * counts (CEILING_BELOW_CONTENT, whose data the owner is shown before choosing); `acknowledgeDowngrade` alone no
 * longer lowers a ceiling. Returns the decision to carry out, or undefined when nothing is above.
 */
export function decideContentAbove(ceiling: string, above: ContentAbove, decision: ContentAboveCeiling | undefined): ContentAboveCeiling | undefined {
  if (above.messages.length === 0 && above.files.length === 0) return undefined;
  if (decision !== undefined) return decision;
  const labels = [...new Set([...above.messages, ...above.files].map((entry) => entry.label))];
  const data: CeilingBelowContentData = { ceiling, labels, messages: above.messages, files: above.files, choices: ['relabel', 'hide'] };
  throw new AppError('CEILING_BELOW_CONTENT', data);
}
