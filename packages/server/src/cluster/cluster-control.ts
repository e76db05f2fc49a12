import { z } from 'zod';

/**
 * What one node tells the others to do at once, because it changed state every node acts on from memory: the open
 * streams of ended sessions close, the streams of someone whose role or clearance changed reopen under the new one,
 * the working hours held for quiet delivery and the after-hours counts are read again, and the sign-in and invite
 * throttles count an attempt another node let through or saw succeed (shared-login-throttle.ts). Checked on arrival like
 * any input: a malformed message is ignored, never half applied.
 */
export const ClusterControl = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sessions-ended'), sessionIds: z.array(z.string()).max(10_000) }),
  z.object({ kind: z.literal('streams-reopen'), userId: z.string() }),
  z.object({ kind: z.literal('schedules-changed'), who: z.union([z.literal('everyone'), z.array(z.string()).max(10_000)]) }),
  z.object({
    kind: z.literal('throttle'),
    throttle: z.enum(['sign-in', 'invite']),
    outcome: z.enum(['admitted', 'succeeded']),
    account: z.string().max(1000),
    address: z.string().max(100),
    at: z.number().int().nonnegative(),
  }),
]);
export type ClusterControl = z.infer<typeof ClusterControl>;
