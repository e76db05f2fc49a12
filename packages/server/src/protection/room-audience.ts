import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { RoomWithMembership } from '../rooms/rooms.service';
import { guestsAmong } from '../users/users.access';
import { digestOf } from './confirmation-token';
import { memberDepartments, memberIdsOf } from './protection.repository';

/** The departments shown in a confirmation dialog; a big room lists the first ones only. */
const DEPARTMENTS_SHOWN = 20;

/**
 * Who a message in a room reaches, as the send guard and DLP scopes ask about it. Member counts come with the room
 * row; the dearer facts (departments, the member list) are read only when a rule or the guard needs them, and at
 * most once per send.
 */
export class RoomAudience {
  private departments: Promise<{ userId: string; departmentId: string; name: string }[]> | undefined;

  constructor(
    private readonly db: Kysely<Database>,
    readonly room: RoomWithMembership,
    private readonly senderId: string,
  ) {}

  get memberCount(): number {
    return Number(this.room.member_count);
  }

  get guestCount(): number {
    return Number(this.room.guest_count);
  }

  /**
   * Whether someone here belongs only to departments the sender is not in. People with no department are not
   * counted either way, and a sender with no department has nobody to be outside of.
   */
  async spansOtherDepartments(): Promise<boolean> {
    return spansOtherDepartments(await this.memberDepartments(), this.senderId);
  }

  /** None for a guest sender: the organisation's departments are not theirs to see (need-to-know). */
  async departmentNames(): Promise<string[]> {
    if ((await guestsAmong(this.db, [this.senderId])).has(this.senderId)) return [];
    const names = [...new Set((await this.memberDepartments()).map((pair) => pair.name))].sort();
    return names.slice(0, DEPARTMENTS_SHOWN);
  }

  /** Changes whenever someone joins or leaves, so a confirmation given for one audience does not cover another. */
  async digest(): Promise<string> {
    return digestOf(...(await memberIdsOf(this.db, this.room.id)));
  }

  private memberDepartments() {
    this.departments ??= memberDepartments(this.db, this.room.id);
    return this.departments;
  }
}

/** Whether one of these (member, department) pairs' people belongs only to departments `senderId` is not in. */
export function spansOtherDepartments(pairs: readonly { userId: string; departmentId: string }[], senderId: string): boolean {
  const mine = new Set(pairs.filter((pair) => pair.userId === senderId).map((pair) => pair.departmentId));
  if (mine.size === 0) return false;
  const byMember = new Map<string, string[]>();
  for (const pair of pairs) if (pair.userId !== senderId) byMember.set(pair.userId, [...(byMember.get(pair.userId) ?? []), pair.departmentId]);
  return [...byMember.values()].some((departments) => departments.every((id) => !mine.has(id)));
}
