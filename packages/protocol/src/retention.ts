import { z } from 'zod';
import { Id, Timestamp } from './common';
import { LabelId } from './labels';

/** What a retention policy applies to: the whole organisation (its default), one room, or every message of a label. */
export const RetentionScope = z.enum(['organisation', 'room', 'label']);
export type RetentionScope = z.infer<typeof RetentionScope>;

/** Retention ages are whole days; a hundred years is the most anyone keeps anything. */
const Days = z.number().int().min(1).max(36_500);

/**
 * One retention policy. `deleteAfterDays`: messages older than this are purged. `keepAtLeastDays`: no message is
 * erased younger than this, not even one its author deleted. Either may be absent (null): the policy then says
 * nothing about it. How several policies combine is in the admin guide's "Retention" chapter.
 */
export const RetentionPolicy = z.object({
  scope: RetentionScope,
  /** The room's or label's id; null for the organisation default. */
  targetId: z.string().nullable(),
  deleteAfterDays: Days.nullable(),
  keepAtLeastDays: Days.nullable(),
  updatedAt: Timestamp,
  updatedBy: Id,
});
export type RetentionPolicy = z.infer<typeof RetentionPolicy>;

const PolicyTarget = z.object({ scope: RetentionScope, targetId: z.string().min(1).max(64).optional() }).superRefine((target, context) => {
  const needsTarget = target.scope !== 'organisation';
  if (needsTarget !== (target.targetId !== undefined)) {
    context.addIssue({ code: 'custom', path: ['targetId'], message: needsTarget ? 'name the room or label' : 'the organisation default has no target' });
  }
  if (target.scope === 'label' && target.targetId !== undefined && !LabelId.safeParse(target.targetId).success) {
    context.addIssue({ code: 'custom', path: ['targetId'], message: 'not a label id' });
  }
});

export const RetentionSetRequest = z
  .object({ scope: RetentionScope, targetId: z.string().min(1).max(64).optional(), deleteAfterDays: Days.nullable(), keepAtLeastDays: Days.nullable() })
  .superRefine((policy, context) => {
    const target = PolicyTarget.safeParse({ scope: policy.scope, targetId: policy.targetId });
    for (const issue of target.error?.issues ?? []) context.addIssue({ code: 'custom', path: issue.path, message: issue.message });
    if (policy.deleteAfterDays === null && policy.keepAtLeastDays === null) context.addIssue({ code: 'custom', path: ['deleteAfterDays'], message: 'set a deletion age, a minimum keep, or both' });
  });
export const RetentionRemoveRequest = PolicyTarget;
export const RetentionListResponse = z.object({ policies: z.array(RetentionPolicy) });
export const RetentionPolicyResponse = z.object({ policy: RetentionPolicy });

/** What one purge removed, per room: counts only, never content. */
export const PurgeRoomCount = z.object({ roomId: Id, messages: z.number().int().nonnegative(), files: z.number().int().nonnegative() });
export const PurgeRunResponse = z.object({
  /**
   * False when the run was still going when the request answered (a large purge outlasts a request): the counts
   * are then those so far, and the run goes on; asking again waits for the same run.
   */
  finished: z.boolean(),
  messages: z.number().int().nonnegative(),
  files: z.number().int().nonnegative(),
  /** Messages due for purging that a legal hold kept. */
  keptByHolds: z.number().int().nonnegative(),
  rooms: z.array(PurgeRoomCount),
});
export type PurgeRunResponse = z.infer<typeof PurgeRunResponse>;
