import { MEMBERSHIP_LINES_PER_PAGE, membershipLineOf, type MembershipEventFacts, type MembershipLine } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { membershipEventsBetween } from './event-log.repository';

/**
 * Who came and went in a room between two positions (exclusive; an open end for undefined), newest first, read back
 * from the room's own `room.member_added` and `room.member_removed` events: the log already holds every membership
 * change at its position, so history shows them without a second record that could disagree with the stream.
 * The caller has checked that the reader is a member of the room.
 */
export async function membershipLinesBetween(db: Kysely<Database>, roomId: string, range: { after: number | undefined; before: number | undefined }): Promise<MembershipLine[]> {
  const rows = await membershipEventsBetween(db, roomId, range, MEMBERSHIP_LINES_PER_PAGE);
  return rows.map((row) => membershipLineOf({ ...(JSON.parse(row.payload) as Omit<MembershipEventFacts, 'type' | 'position'>), type: row.type, position: Number(row.position) } as MembershipEventFacts));
}
