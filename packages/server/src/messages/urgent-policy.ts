import type { Kysely } from 'kysely';
import type { ContentAuditEvent } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import type { RoomWithMembership } from '../rooms/rooms.service';
import type { SettingsService } from '../settings/settings.service';
import { findUserRowById } from '../users/users.access';
import { urgentSendTimesSince } from './messages.repository';

const HOUR_MS = 3_600_000;

export interface UrgentPolicyDeps {
  db: Kysely<Database>;
  settings: SettingsService;
  keys: Keyring;
}

/** What a send asks for: `urgent`, with its written reason. */
export interface UrgentAsk {
  urgent?: boolean | undefined;
  urgentReason?: string | undefined;
}

/**
 * The one check of an urgent send (ringing through recipients' quiet hours), made when the message goes, whether
 * it was sent now or scheduled: a reason is written (URGENT_REASON_REQUIRED), the organisation's urgent policy lets
 * this sender override in this room (URGENT_NOT_ALLOWED), and they have not used up their urgent sends of the last
 * hour (URGENT_RATE_LIMITED with `retryAfterSeconds`). The count is read from the stored messages, so it holds
 * across restarts and nodes; two urgent sends racing on the last one left may both pass, which the limit tolerates.
 */
export class UrgentPolicyCheck {
  constructor(private readonly deps: UrgentPolicyDeps) {}

  /** The reason to store with the message, or null for an ordinary send. */
  async check(senderId: string, room: RoomWithMembership, ask: UrgentAsk): Promise<string | null> {
    if (ask.urgent !== true) return null;
    const reason = ask.urgentReason?.trim() ?? '';
    if (reason.length === 0) throw new AppError('URGENT_REASON_REQUIRED');
    const { urgent: policy } = await this.deps.settings.forSending();
    const sender = await findUserRowById(this.deps.db, senderId);
    const allowed = sender !== undefined && (policy.roles.includes(sender.role) || policy.userIds.includes(senderId) || (policy.roomOwners && room.my_role === 'owner'));
    if (!allowed || policy.perHour === 0) throw new AppError('URGENT_NOT_ALLOWED');
    const now = Date.now();
    const recent = await urgentSendTimesSince(this.deps.db, senderId, now - HOUR_MS, policy.perHour);
    if (recent.length >= policy.perHour) {
      throw new AppError('URGENT_RATE_LIMITED', { retryAfterSeconds: Math.max(1, Math.ceil((recent[0]! + HOUR_MS - now) / 1000)) });
    }
    return reason;
  }

  /** The audit entry committed with an urgent message: who, where and why; the reason sealed, the text never there. */
  auditOf(sender: { userId: string; ip: string | null }, roomId: string, messageId: string, reason: string): ContentAuditEvent {
    return { actorId: sender.userId, action: 'message.urgent_sent', target: { type: 'message', id: messageId }, data: { roomId }, content: { reason }, keys: this.deps.keys };
  }
}
