import { z } from 'zod';
import type { PresenceAnnouncement, RollCallPart } from '../stream/remote-presence';
import type { ThrottleAttempt } from './shared-login-throttle';

/**
 * What one node tells the others to do at once, because it changed state every node acts on from memory: the open
 * streams of ended sessions close, the streams of someone whose role or clearance changed reopen under the new one,
 * the working hours held for quiet delivery and the after-hours counts are read again, and the sign-in and invite
 * throttles count an attempt another node let through or saw succeed (shared-login-throttle.ts), and presence
 * learns who is connected to the other nodes (stream/remote-presence.ts): each change, and a roll call of everyone
(in parts, each well under the broker's message limit);
 * and a cache of shared policy (labels, settings, DLP rules) is dropped for reading again (node-cache.ts). Checked on arrival like
 * any input: a malformed message is ignored, never half applied.
 */
const PresenceAnnouncementShape = { userId: z.string(), status: z.enum(['online', 'away', 'offline']), rooms: z.array(z.string()).max(100_000) };

export const ClusterControl = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('sessions-ended'), sessionIds: z.array(z.string()).max(10_000) }),
  z.object({ kind: z.literal('streams-reopen'), userId: z.string() }),
  z.object({ kind: z.literal('schedules-changed'), who: z.union([z.literal('everyone'), z.array(z.string()).max(10_000)]) }),
  z.object({ kind: z.literal('cache-changed'), name: z.string().max(100) }),
  z.object({ kind: z.literal('presence'), ...PresenceAnnouncementShape }),
  z.object({
    kind: z.literal('presence-roll-call'),
    round: z.number().int().nonnegative(),
    part: z.number().int().nonnegative(),
    parts: z.number().int().positive().max(100_000),
    people: z.array(z.object(PresenceAnnouncementShape)).max(100_000),
  }),
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

/** What a node does with each kind of control message, wired in app.ts. */
export interface ControlHandlers {
  sessionsEnded(sessionIds: readonly string[]): void;
  streamsReopen(userId: string): void;
  schedulesChanged(who: readonly string[] | 'everyone'): void;
  throttleAttempt(throttle: 'sign-in' | 'invite', attempt: ThrottleAttempt): void;
  presenceChanged(fromNode: string, person: PresenceAnnouncement): void;
  presenceRollCall(fromNode: string, part: RollCallPart): void;
  cacheChanged(name: string): void;
}

/** Hands one checked control message from another node to its handler. */
export function applyControl(control: ClusterControl, fromNode: string, handlers: ControlHandlers): void {
  switch (control.kind) {
    case 'sessions-ended':
      return handlers.sessionsEnded(control.sessionIds);
    case 'streams-reopen':
      return handlers.streamsReopen(control.userId);
    case 'schedules-changed':
      return handlers.schedulesChanged(control.who);
    case 'throttle': {
      const { throttle, ...attempt } = control;
      return handlers.throttleAttempt(throttle, { outcome: attempt.outcome, account: attempt.account, address: attempt.address, at: attempt.at });
    }
    case 'presence':
      return handlers.presenceChanged(fromNode, { userId: control.userId, status: control.status, rooms: control.rooms });
    case 'presence-roll-call':
      return handlers.presenceRollCall(fromNode, { round: control.round, part: control.part, parts: control.parts, people: control.people });
    case 'cache-changed':
      return handlers.cacheChanged(control.name);
  }
}
