import type { HeldCandidate } from '../holds/holds.access';

export const DAY_MS = 86_400_000;

/** What one policy says; null says nothing about that part. */
export interface PolicyTerms {
  deleteAfterDays: number | null;
  keepAtLeastDays: number | null;
}

export interface RetentionPolicies {
  organisation: PolicyTerms | undefined;
  rooms: ReadonlyMap<string, PolicyTerms>;
  labels: ReadonlyMap<string, PolicyTerms>;
}

/** The facts about a stored message retention decides on. */
export interface RetentionCandidate extends HeldCandidate {
  label: string;
  deleted_at: number | null;
  recalled_at: number | null;
}

/**
 * Whether retention erases a message now (holds are checked separately, and beat this). The policies that apply
 * are the organisation default, the message's room's and its label's, whichever exist; with none, the message is
 * kept for ever (an installation without retention keeps everything, as before). Of those that apply:
 * - the minimum keep is the longest `keepAtLeastDays` among them: nothing is erased younger than that, not even
 *   a message its author deleted or recalled;
 * - the deletion age is the longest `deleteAfterDays` among them (the longer keep wins, so a room's shorter
 *   policy never cuts the organisation's); when none sets one, the message is never purged for its age;
 * - a message its author deleted or recalled is erased as soon as the minimum keep has passed.
 * Ages count from when the message was sent.
 */
export function isDueForPurge(policies: RetentionPolicies, message: RetentionCandidate, now: number): boolean {
  const terms = [policies.organisation, policies.rooms.get(message.room_id), policies.labels.get(message.label)].filter((t): t is PolicyTerms => t !== undefined);
  if (terms.length === 0) return false;
  const age = now - Number(message.created_at);
  const keepDays = Math.max(0, ...terms.map((t) => t.keepAtLeastDays ?? 0));
  if (age < keepDays * DAY_MS) return false;
  if (message.deleted_at !== null || message.recalled_at !== null) return true;
  const deleteAges = terms.flatMap((t) => (t.deleteAfterDays === null ? [] : [t.deleteAfterDays]));
  return deleteAges.length > 0 && age >= Math.max(...deleteAges) * DAY_MS;
}

/**
 * The youngest a purged message can be: every message a policy applies to keeps at least the organisation's minimum
 * (or, without an organisation default, the smallest minimum of any policy), so the purge need not read younger rows.
 */
export function youngestPurgeAgeMs(policies: RetentionPolicies): number {
  if (policies.organisation) return (policies.organisation.keepAtLeastDays ?? 0) * DAY_MS;
  const all = [...policies.rooms.values(), ...policies.labels.values()];
  return all.length === 0 ? Number.POSITIVE_INFINITY : Math.min(...all.map((t) => (t.keepAtLeastDays ?? 0) * DAY_MS));
}
