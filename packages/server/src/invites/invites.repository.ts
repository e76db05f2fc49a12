import type { Insertable, Kysely, Selectable, Transaction } from 'kysely';
import type { Database, InviteRequestsTable, InvitesTable } from '../db/schema';

export type InviteRow = Selectable<InvitesTable> & {
  room_name: string | null;
  room_topic: string | null;
  room_member_count: number | string | null;
  room_ceiling: string | null;
};
export type InviteRequestRow = Selectable<InviteRequestsTable> & { room_id: string | null; room_name: string | null };

/** Lists are bounded; invites are few and short-lived. */
const LIST_LIMIT = 500;

function invitesWithRoom(db: Kysely<Database>) {
  return db
    .selectFrom('invites')
    .leftJoin('rooms', 'rooms.id', 'invites.room_id')
    .selectAll('invites')
    .select(['rooms.name as room_name', 'rooms.topic as room_topic', 'rooms.member_count as room_member_count', 'rooms.ceiling as room_ceiling']);
}

export async function insertInvite(trx: Transaction<Database>, row: Insertable<InvitesTable>): Promise<void> {
  await trx.insertInto('invites').values(row).execute();
}

export async function findInviteByCodeHash(db: Kysely<Database>, codeHash: string): Promise<InviteRow | undefined> {
  return invitesWithRoom(db).where('invites.code_hash', '=', codeHash).executeTakeFirst();
}

export async function findInviteById(db: Kysely<Database>, id: string): Promise<InviteRow | undefined> {
  return invitesWithRoom(db).where('invites.id', '=', id).executeTakeFirst();
}

/** Newest first; `ownedBy` keeps only invites into rooms that person owns. */
export async function listInviteRows(db: Kysely<Database>, filter: { roomId?: string | undefined; ownedBy?: string | undefined }): Promise<InviteRow[]> {
  let query = invitesWithRoom(db);
  if (filter.roomId !== undefined) query = query.where('invites.room_id', '=', filter.roomId);
  if (filter.ownedBy !== undefined) {
    const owner = filter.ownedBy;
    query = query.where('invites.room_id', 'in', (eb) =>
      eb.selectFrom('room_members').select('room_members.room_id').where('room_members.user_id', '=', owner).where('room_members.role', '=', 'owner'),
    );
  }
  return query.orderBy('invites.created_at', 'desc').orderBy('invites.id').limit(LIST_LIMIT).execute();
}

/**
 * Takes one use of an invite if it is still open at `now`; false when it was revoked, used up or expired meanwhile.
 * One conditional update, so two people racing for the last use cannot both get it.
 */
export async function consumeInviteUse(trx: Transaction<Database>, id: string, now: number): Promise<boolean> {
  const result = await trx
    .updateTable('invites')
    .set((eb) => ({ uses: eb('uses', '+', 1) }))
    .where('id', '=', id)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .whereRef('uses', '<', 'max_uses')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function revokeInviteRow(trx: Transaction<Database>, id: string, revokedBy: string, now: number): Promise<void> {
  await trx.updateTable('invites').set({ revoked_at: now, revoked_by: revokedBy }).where('id', '=', id).where('revoked_at', 'is', null).execute();
}

export async function insertInviteRequest(trx: Transaction<Database>, row: Insertable<InviteRequestsTable>): Promise<void> {
  await trx.insertInto('invite_requests').values(row).execute();
}

function requestsWithRoom(db: Kysely<Database>) {
  return db
    .selectFrom('invite_requests')
    .innerJoin('invites', 'invites.id', 'invite_requests.invite_id')
    .leftJoin('rooms', 'rooms.id', 'invites.room_id')
    .selectAll('invite_requests')
    .select(['invites.room_id as room_id', 'rooms.name as room_name']);
}

export async function findInviteRequest(db: Kysely<Database>, id: string): Promise<InviteRequestRow | undefined> {
  return requestsWithRoom(db).where('invite_requests.id', '=', id).executeTakeFirst();
}

/** A room invite's pending request by the same person, so that following the link twice asks only once. */
export async function findPendingRequestOf(db: Kysely<Database>, inviteId: string, userId: string): Promise<InviteRequestRow | undefined> {
  return requestsWithRoom(db)
    .where('invite_requests.invite_id', '=', inviteId)
    .where('invite_requests.user_id', '=', userId)
    .where('invite_requests.status', '=', 'pending')
    .executeTakeFirst();
}

/** Whether a pending organisation request already holds this username. */
export async function isUsernamePending(db: Kysely<Database>, username: string): Promise<boolean> {
  const row = await db
    .selectFrom('invite_requests')
    .select('id')
    .where('username', '=', username)
    .where('status', '=', 'pending')
    .where('user_id', 'is', null)
    .executeTakeFirst();
  return row !== undefined;
}

export async function listInviteRequestRows(db: Kysely<Database>, status: InviteRequestsTable['status']): Promise<InviteRequestRow[]> {
  return requestsWithRoom(db)
    .where('invite_requests.status', '=', status)
    .orderBy('invite_requests.requested_at', 'desc')
    .orderBy('invite_requests.id')
    .limit(LIST_LIMIT)
    .execute();
}

/** Decides a pending request, forgetting the password hash it held; false when someone decided it first. */
export async function decideInviteRequest(
  trx: Transaction<Database>,
  id: string,
  decision: { status: 'approved' | 'rejected'; userId: string | null; decidedBy: string; now: number },
): Promise<boolean> {
  const result = await trx
    .updateTable('invite_requests')
    .set({ status: decision.status, user_id: decision.userId, decided_by: decision.decidedBy, decided_at: decision.now, password_hash: null })
    .where('id', '=', id)
    .where('status', '=', 'pending')
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}
