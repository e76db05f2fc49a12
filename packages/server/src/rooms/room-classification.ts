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
 * A changed classification. Raising the ceiling needs every member cleared for it; lowering it below labels
 * already in the room needs `acknowledgeDowngrade` (and the caller audits it as a downgrade). A default label
 * above a lowered ceiling comes down to the ceiling.
 */
export function reclassifyRoom(
  ranks: LabelRanks,
  current: { ceiling: string; defaultLabel: string },
  change: { ceiling?: string | undefined; defaultLabel?: string | undefined; acknowledgeDowngrade?: boolean | undefined },
  context: { clearances: ReadonlyMap<string, string>; labelsInRoom: readonly string[] },
): { ceiling: string; defaultLabel: string; downgraded: boolean } {
  const ceiling = change.ceiling ?? current.ceiling;
  if (ranks.rankOf(ceiling) > ranks.rankOf(current.ceiling)) requireCleared(ranks, context.clearances, ceiling);
  const above = context.labelsInRoom.filter((label) => !ranks.fits(label, ceiling));
  if (above.length > 0 && !change.acknowledgeDowngrade) throw new AppError('CEILING_BELOW_CONTENT', { labels: above, ceiling });
  const defaultLabel = change.defaultLabel ?? (ranks.fits(current.defaultLabel, ceiling) ? current.defaultLabel : ceiling);
  if (!ranks.fits(defaultLabel, ceiling)) throw new AppError('LABEL_ABOVE_ROOM_CEILING', { label: defaultLabel, ceiling });
  return { ceiling, defaultLabel, downgraded: above.length > 0 };
}
