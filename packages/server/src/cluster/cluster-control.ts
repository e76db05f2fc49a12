import { z } from 'zod';

/**
 * What one node tells the others to do at once, because it changed state every node acts on from memory: the open
 * streams of ended sessions close, the streams of someone whose role or clearance changed reopen under the new one,
 * and the working hours held for quiet delivery and the after-hours counts are read again. Checked on arrival like
 * any input: a malformed message is ignored, never half applied.
 */
export const ClusterControl = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sessions-ended'), sessionIds: z.array(z.string()).max(10_000) }),
  z.object({ kind: z.literal('streams-reopen'), userId: z.string() }),
  z.object({ kind: z.literal('schedules-changed'), who: z.union([z.literal('everyone'), z.array(z.string()).max(10_000)]) }),
]);
export type ClusterControl = z.infer<typeof ClusterControl>;
