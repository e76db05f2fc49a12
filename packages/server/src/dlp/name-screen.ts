import type { Actor } from '../auth/actor';

/** Where a name is set: what the audit entry of a rule hit names as its context. */
export type NamePlace = 'room-name' | 'room-topic' | 'group-name' | 'display-name';

/** The room a name or topic is shown in: an existing one, or the one being created with its intended members. */
export type NamedRoom = { existing: { id: string; ceiling: string; guest_count: number | string; member_count: number | string } } | { creating: { ceiling: string; memberIds: readonly string[] } };

/**
 * DLP for names people set, which others see without any message being sent: room names and topics (checked
 * against the rules that apply to that room) and display names (against every rule without a room restriction).
 * A match refuses the change with DLP_BLOCKED, whatever the rule's action, since a name cannot be confirmed,
 * held or redacted the way a message is; each hit is audited without the text. Implemented in protection/; the
 * rooms and users features call it through this interface, so they depend on no part of the send path.
 */
export interface NameScreen {
  checkRoomText(actor: Pick<Actor, 'userId' | 'ip'>, room: NamedRoom, place: NamePlace, text: string): Promise<void>;
  /**
   * `actor` may be the system (no user id), as for accounts an invite creates; `subjectId` is the person named,
   * undefined for an account being created.
   */
  checkDisplayName(actor: { userId: string | null; ip: string | null }, subjectId: string | undefined, text: string): Promise<void>;
}
