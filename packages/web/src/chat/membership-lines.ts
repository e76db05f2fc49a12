import type { MembershipLine } from '@enclave/protocol';
import type { Timeline } from './timeline-window';

/** Known lines and new ones, oldest first, each position once (a page and a live event may both bring one). */
export function mergeMembershipLines(known: MembershipLine[], incoming: MembershipLine[]): MembershipLine[] {
  if (incoming.length === 0) return known;
  const byPosition = new Map(known.map((line) => [line.position, line]));
  for (const line of incoming) byPosition.set(line.position, line);
  return [...byPosition.values()].sort((a, b) => a.position - b.position);
}

/**
 * The lines a timeline shows: those inside the stretch of messages it holds. Before its oldest message only when
 * nothing older exists (else a page not yet loaded sits between), and after its newest only when it reaches the
 * newest (not while it shows a stretch of the past), so a line never appears across a gap.
 */
export function linesShown(lines: MembershipLine[] | undefined, timeline: Timeline | undefined): MembershipLine[] {
  if (!lines || !timeline?.loaded) return [];
  const from = timeline.hasMore ? (timeline.messages[0]?.position ?? Number.POSITIVE_INFINITY) : Number.NEGATIVE_INFINITY;
  const to = timeline.heldLive ? (timeline.messages.at(-1)?.position ?? Number.NEGATIVE_INFINITY) : Number.POSITIVE_INFINITY;
  return lines.filter((line) => line.position > from && line.position < to);
}
