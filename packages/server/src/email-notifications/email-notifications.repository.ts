import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../db/schema';

type Db = Kysely<Database> | Transaction<Database>;

export interface DigestPerson {
  userId: string;
  address: string;
  notifiedPosition: number;
  pendingSince: number | null;
  failures: number;
  locale: string | null;
  clearance: string;
}

/** One unread message that a digest counts: a mention of the person, or a direct message to them. */
export interface UnreadItem {
  userId: string;
  roomId: string;
  roomKind: 'channel' | 'group' | 'dm';
  roomCeiling: string;
  position: number;
  /** The message's label, to leave out what the person's clearance does not reach. */
  label: string;
}

export async function findDigestRow(db: Db, userId: string): Promise<{ address: string | null; optedOut: boolean } | undefined> {
  const row = await db.selectFrom('email_digests').select(['address', 'opted_out']).where('user_id', '=', userId).executeTakeFirst();
  return row && { address: row.address, optedOut: Number(row.opted_out) === 1 };
}

/**
 * Creates or changes a person's row. `startAt` is where a new row's digests begin (the log's head), so a new
 * address or a choice switched back on never mails about what was unread long before.
 */
export async function upsertDigestRow(db: Db, userId: string, changes: { address?: string | null; opted_out?: number }, startAt: number): Promise<void> {
  const updated = await db
    .updateTable('email_digests')
    .set({ ...changes, ...(changes.opted_out === 0 || changes.address !== undefined ? { notified_position: startAt, pending_since: null } : {}) })
    .where('user_id', '=', userId)
    .executeTakeFirst();
  if (Number(updated.numUpdatedRows) === 0) await db.insertInto('email_digests').values({ user_id: userId, address: null, ...changes, notified_position: startAt }).execute();
}

/** People a digest can reach now: an address, their choice on, their account enabled, no back-off in force. */
export async function findReachablePeople(db: Db, now: number): Promise<DigestPerson[]> {
  const rows = await db
    .selectFrom('email_digests as d')
    .innerJoin('users as u', 'u.id', 'd.user_id')
    .select(['d.user_id', 'd.address', 'd.notified_position', 'd.pending_since', 'd.failures', 'u.locale', 'u.clearance'])
    .where('d.address', 'is not', null)
    .where('d.opted_out', '=', 0)
    .where('u.disabled_at', 'is', null)
    .where((eb) => eb.or([eb('d.retry_at', 'is', null), eb('d.retry_at', '<=', now)]))
    .execute();
  return rows.map((row) => ({ userId: row.user_id, address: row.address!, notifiedPosition: Number(row.notified_position), pendingSince: row.pending_since === null ? null : Number(row.pending_since), failures: Number(row.failures), locale: row.locale, clearance: row.clearance }));
}

/**
 * Mentions of these people and direct messages to them that they have not read, above what was already mailed
 * and at most `upTo`, in rooms they have not muted: two queries for the whole batch, each driven by an index
 * (mentions by person and position; a direct message room's messages by position). Written as plain, portable SQL:
 * the same joins through the query builder's types cost the type check more than the rest of the feature.
 */
export async function findUnreadItems(db: Db, userIds: readonly string[], upTo: number): Promise<UnreadItem[]> {
  if (userIds.length === 0) return [];
  const people = sql.join(userIds.map((id) => sql`${id}`));
  const stillShown = sql`msg.deleted_at is null and msg.recalled_at is null and msg.hidden_at is null`;
  const mentions = await sql<UnreadRow>`
    select m.user_id, r.id as room_id, r.kind, r.ceiling, m.position, msg.label
    from mentions m
    join email_digests d on d.user_id = m.user_id
    join room_members rm on rm.room_id = m.room_id and rm.user_id = m.user_id
    join messages msg on msg.id = m.message_id
    join rooms r on r.id = m.room_id
    where m.user_id in (${people}) and m.position > d.notified_position and m.position > rm.last_read_position
      and m.position <= ${upTo} and rm.muted = 0 and msg.sender_id <> m.user_id and ${stillShown}`.execute(db);
  const direct = await sql<UnreadRow>`
    select rm.user_id, r.id as room_id, r.kind, r.ceiling, msg.position, msg.label
    from room_members rm
    join email_digests d on d.user_id = rm.user_id
    join rooms r on r.id = rm.room_id
    join messages msg on msg.room_id = rm.room_id
    where rm.user_id in (${people}) and r.kind = 'dm' and rm.muted = 0 and msg.position > d.notified_position
      and msg.position > rm.last_read_position and msg.position <= ${upTo} and msg.sender_id <> rm.user_id and ${stillShown}`.execute(db);
  return [...mentions.rows, ...direct.rows].map((row) => ({ userId: row.user_id, roomId: row.room_id, roomKind: row.kind, roomCeiling: row.ceiling, position: Number(row.position), label: row.label }));
}

interface UnreadRow {
  user_id: string;
  room_id: string;
  kind: UnreadItem['roomKind'];
  ceiling: string;
  position: number | string;
  label: string;
}

/** Nothing waits for this person any more (they read it), or all of it was there while they were connected. */
export async function markCaughtUp(db: Db, userId: string, position: number | undefined): Promise<void> {
  await db
    .updateTable('email_digests')
    .set({ pending_since: null, failures: 0, retry_at: null, ...(position !== undefined ? { notified_position: position } : {}) })
    .where('user_id', '=', userId)
    .execute();
}

export async function markPendingSince(db: Db, userId: string, at: number): Promise<void> {
  await db.updateTable('email_digests').set({ pending_since: at }).where('user_id', '=', userId).where('pending_since', 'is', null).execute();
}

/** After a digest went: everything up to `position` is mailed; what comes later waits its own delay. */
export async function markSent(trx: Transaction<Database>, userId: string, position: number): Promise<void> {
  await trx.updateTable('email_digests').set({ notified_position: position, pending_since: null, failures: 0, retry_at: null }).where('user_id', '=', userId).execute();
}

/** A failed send keeps everything as it was, to go again at `retryAt`. */
export async function markFailed(db: Db, userId: string, failures: number, retryAt: number): Promise<void> {
  await db.updateTable('email_digests').set({ failures, retry_at: retryAt }).where('user_id', '=', userId).execute();
}
