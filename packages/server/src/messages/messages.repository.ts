import type { ReactionSummary } from '@enclave/protocol';
import { sql, type Kysely, type RawBuilder, type SqlBool, type Transaction } from 'kysely';
import { preparedQuery, type Param } from '../db/prepared-query';
import type { Database, MessageRow, NewMessageRow } from '../db/schema';
import { labelWithinClearance } from '../labels/labels.access';

export async function insertMessages(trx: Transaction<Database>, rows: NewMessageRow[]): Promise<void> {
  if (rows.length > 0) await trx.insertInto('messages').values(rows).execute();
}

const messageById = preparedQuery((db, param: Param<{ id: string }>) => db.selectFrom('messages').selectAll().where('id', '=', param('id')));

export async function findMessage(db: Kysely<Database>, id: string): Promise<MessageRow | undefined> {
  return messageById.executeTakeFirst(db, { id });
}

/**
 * The condition every read of messages for a person applies in its own query: the message is not hidden, and its
 * label is within the reader's clearance, whatever the room's ceiling says now. `table` is the alias the query
 * gives `messages`.
 */
export function messageReadableBy(readerId: string, table = 'messages'): RawBuilder<SqlBool> {
  return sql<SqlBool>`(${sql.ref(`${table}.hidden_at`)} is null and ${labelWithinClearance(`${table}.label`, readerId)})`;
}

/** A message as one reader finds it: `cleared` is 0 when its label is above their clearance. */
export type MessageForReader = MessageRow & { cleared: number };

const messageForReader = preparedQuery((db, param: Param<{ id: string; readerId: string }>) =>
  db
    .selectFrom('messages')
    .selectAll()
    .select(sql<number>`case when ${labelWithinClearance('messages.label', param('readerId'))} then 1 else 0 end`.as('cleared'))
    .where('id', '=', param('id')),
);

/** A message and whether the reader's clearance reaches its label, in the one query that loads it. */
export async function findMessageFor(db: Kysely<Database>, id: string, readerId: string): Promise<MessageForReader | undefined> {
  const row = await messageForReader.executeTakeFirst(db, { id, readerId });
  return row ? { ...row, cleared: Number(row.cleared) } : undefined;
}

/** A message the reader may read, or nothing: one hidden or above their clearance is as absent as one that does not exist. */
export async function findReadableMessage(db: Kysely<Database>, id: string, readerId: string): Promise<MessageRow | undefined> {
  const row = await findMessageFor(db, id, readerId);
  return row && row.cleared === 1 && row.hidden_at === null ? row : undefined;
}

/**
 * Messages already stored under these (sender, client id) pairs, for making retried sends idempotent. The pairs are
 * looked for in the (sender_id, client_id) index alone first: its two lists match their cross product, which for a
 * busy batch is hundreds of other messages of the same senders, so only the exact pairs (rare: retries) are then
 * read whole.
 */
export async function findByClientIds(db: Kysely<Database>, pairs: readonly { senderId: string; clientId: string }[]): Promise<MessageRow[]> {
  if (pairs.length === 0) return [];
  const wanted = new Map<string, Set<string>>();
  for (const { senderId, clientId } of pairs) wanted.set(senderId, (wanted.get(senderId) ?? new Set()).add(clientId));
  const candidates = await db
    .selectFrom('messages')
    .select(['sender_id', 'client_id'])
    .where('sender_id', 'in', [...wanted.keys()])
    .where('client_id', 'in', [...new Set(pairs.map((pair) => pair.clientId))])
    .execute();
  const found = candidates.filter((row) => row.client_id !== null && wanted.get(row.sender_id)?.has(row.client_id));
  if (found.length === 0) return [];
  return db
    .selectFrom('messages')
    .selectAll()
    .where((eb) => eb.or(found.map((row) => eb.and([eb('sender_id', '=', row.sender_id), eb('client_id', '=', row.client_id)]))))
    .execute();
}

type HistoryParams = { roomId: string; threadRootId: string; readerId: string; position: number; limit: number };
type HistoryBound = 'newest' | 'before' | 'after';

/** A timeline page has six shapes (a room or a thread; the newest, before or after a position), each prepared once. */
function historyQuery(inThread: boolean, bound: HistoryBound) {
  return preparedQuery((db, param: Param<HistoryParams>) => {
    let query = db
      .selectFrom('messages')
      .selectAll()
      .where('room_id', '=', param('roomId'))
      .where((eb) => (inThread ? eb('thread_root_id', '=', param('threadRootId')) : eb.or([eb('thread_root_id', 'is', null), eb('also_in_room', '=', 1)])))
      .where(messageReadableBy(param('readerId')))
      .orderBy('position', bound === 'after' ? 'asc' : 'desc')
      .limit(param('limit'));
    if (bound === 'before') query = query.where('position', '<', param('position'));
    if (bound === 'after') query = query.where('position', '>', param('position'));
    return query;
  });
}

const historyQueries = new Map(([false, true] as const).flatMap((inThread) => (['newest', 'before', 'after'] as const).map((bound) => [`${inThread} ${bound}`, historyQuery(inThread, bound)] as const)));

/**
 * One page of a room's timeline as one reader may see it: top-level messages, or the replies of one thread. Newest
 * first below `beforePosition`; with `afterPosition`, oldest first above it. Reads one extra row to tell whether
 * more exist.
 */
export async function historyPage(
  db: Kysely<Database>,
  options: { roomId: string; readerId: string; threadRootId: string | null; beforePosition: number | undefined; afterPosition?: number | undefined; limit: number },
): Promise<MessageRow[]> {
  const bound: HistoryBound = options.afterPosition !== undefined ? 'after' : options.beforePosition !== undefined ? 'before' : 'newest';
  const query = historyQueries.get(`${options.threadRootId !== null} ${bound}`)!;
  return query.execute(db, { roomId: options.roomId, readerId: options.readerId, threadRootId: options.threadRootId ?? '', position: options.afterPosition ?? options.beforePosition ?? 0, limit: options.limit + 1 });
}

/** Reactions of the given messages, summarised per emoji in the order each emoji was first used. */
export async function reactionsOf(db: Kysely<Database>, messageIds: readonly string[]): Promise<Map<string, ReactionSummary[]>> {
  const result = new Map<string, ReactionSummary[]>();
  if (messageIds.length === 0) return result;
  const rows = await db
    .selectFrom('reactions')
    .select(['message_id', 'emoji', 'user_id'])
    .where('message_id', 'in', messageIds)
    .orderBy('created_at')
    .orderBy('user_id')
    .execute();
  for (const row of rows) {
    const summaries = result.get(row.message_id) ?? [];
    let summary = summaries.find((s) => s.emoji === row.emoji);
    if (!summary) summaries.push((summary = { emoji: row.emoji, count: 0, userIds: [] }));
    summary.count += 1;
    summary.userIds.push(row.user_id);
    result.set(row.message_id, summaries);
  }
  return result;
}

/**
 * Messages that mention the user, by name or with @all, as the mentions list shows them: in rooms they are still
 * in, live, readable by them, not their own. The list pages it; the off-work summary counts it.
 */
function messagesMentioning(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('messages')
    .innerJoin('room_members', (join) => join.onRef('room_members.room_id', '=', 'messages.room_id').on('room_members.user_id', '=', userId))
    .where('messages.deleted_at', 'is', null)
    .where('messages.recalled_at', 'is', null)
    .where('messages.sender_id', '<>', userId)
    .where(messageReadableBy(userId))
    .where((eb) =>
      eb.or([
        eb('messages.mentions_all', '=', 1),
        eb('messages.id', 'in', eb.selectFrom('mentions').select('message_id').where('mentions.user_id', '=', userId)),
      ]),
    );
}

/** How many messages sent in [from, to) mention the user (`messagesMentioning`), and in how many rooms. */
export async function countMentionsBetween(db: Kysely<Database>, userId: string, from: number, to: number): Promise<{ mentions: number; rooms: number }> {
  const row = await messagesMentioning(db, userId)
    .select((eb) => [eb.fn.count<number | string>('messages.id').as('mentions'), eb.fn.count<number | string>('messages.room_id').distinct().as('rooms')])
    .where('messages.created_at', '>=', from)
    .where('messages.created_at', '<', to)
    .executeTakeFirst();
  return { mentions: Number(row?.mentions ?? 0), rooms: Number(row?.rooms ?? 0) };
}

export async function mentionsOf(db: Kysely<Database>, messageIds: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  if (messageIds.length === 0) return result;
  const rows = await db.selectFrom('mentions').select(['message_id', 'user_id']).where('message_id', 'in', messageIds).execute();
  for (const row of rows) result.set(row.message_id, [...(result.get(row.message_id) ?? []), row.user_id]);
  return result;
}

type MentioningMessage = { id: string; room_id: string; position: number };

/** The mentions of new messages, in one insert for a whole batch. */
export async function insertMentions(trx: Transaction<Database>, mentioning: readonly { message: MentioningMessage; userIds: readonly string[] }[]): Promise<void> {
  const rows = mentioning.flatMap(({ message, userIds }) => userIds.map((userId) => ({ message_id: message.id, user_id: userId, room_id: message.room_id, position: message.position })));
  if (rows.length > 0) await trx.insertInto('mentions').values(rows).execute();
}

/** The mentions of an edited message: those of its new text instead of the old. */
export async function replaceMentions(trx: Transaction<Database>, message: MentioningMessage, userIds: readonly string[]): Promise<void> {
  await trx.deleteFrom('mentions').where('message_id', '=', message.id).execute();
  await insertMentions(trx, [{ message, userIds }]);
}

/**
 * Locks the message for an edit (an update) and reads its text after the lock, with the number the text being
 * replaced takes as a version: two edits at once queue up instead of claiming the same version number or keeping
 * a stale text.
 */
export async function lockForEdit(trx: Transaction<Database>, messageId: string, now: number): Promise<{ body: string; version: number }> {
  await trx.updateTable('messages').set({ edited_at: now }).where('id', '=', messageId).execute();
  const current = await trx.selectFrom('messages').select('body').where('id', '=', messageId).executeTakeFirstOrThrow();
  const previous = await trx
    .selectFrom('message_versions')
    .select((eb) => eb.fn.max<number | string | null>('version').as('version'))
    .where('message_id', '=', messageId)
    .executeTakeFirst();
  return { body: current.body, version: Number(previous?.version ?? 0) + 1 };
}

/**
 * An edit, after `lockForEdit`: the replaced text is kept as `version` (its stored form, sealed for that version),
 * then the new text, label and mentions are stored; `copiedFrom` (a fingerprint origin as JSON) only when the new
 * text took one.
 */
export async function replaceBody(
  trx: Transaction<Database>,
  messageId: string,
  change: { version: { version: number; body: string }; body: string; label: string; mentionsAll: boolean; copiedFrom: string | null },
  now: number,
): Promise<void> {
  const { version, body, label, mentionsAll, copiedFrom } = change;
  await trx.insertInto('message_versions').values({ message_id: messageId, version: version.version, body: version.body, replaced_at: now }).execute();
  await trx
    .updateTable('messages')
    .set({ body, label, mentions_all: mentionsAll ? 1 : 0, ...(copiedFrom === null ? {} : { copied_from: copiedFrom }) })
    .where('id', '=', messageId)
    .execute();
}

export async function markDeleted(trx: Transaction<Database>, messageId: string, now: number): Promise<void> {
  await trx.updateTable('messages').set({ deleted_at: now, pinned_at: null, pinned_by: null }).where('id', '=', messageId).execute();
}

export async function markRecalled(trx: Transaction<Database>, messageId: string, now: number): Promise<void> {
  await trx.updateTable('messages').set({ recalled_at: now, pinned_at: null, pinned_by: null }).where('id', '=', messageId).execute();
}

export async function setPinned(trx: Transaction<Database>, messageId: string, pin: { at: number; by: string } | null): Promise<void> {
  await trx.updateTable('messages').set({ pinned_at: pin?.at ?? null, pinned_by: pin?.by ?? null }).where('id', '=', messageId).execute();
}

export async function addReaction(trx: Transaction<Database>, row: { message_id: string; user_id: string; emoji: string; created_at: number }): Promise<void> {
  await trx.insertInto('reactions').values(row).onConflict((oc) => oc.columns(['message_id', 'user_id', 'emoji']).doNothing()).execute();
}

export async function removeReaction(trx: Transaction<Database>, messageId: string, userId: string, emoji: string): Promise<void> {
  await trx.deleteFrom('reactions').where('message_id', '=', messageId).where('user_id', '=', userId).where('emoji', '=', emoji).execute();
}

/** Counts new replies on their thread roots; returns the roots as they are now. */
export async function countReplies(trx: Transaction<Database>, replies: ReadonlyMap<string, number>, now: number): Promise<MessageRow[]> {
  for (const [rootId, count] of replies) {
    await trx
      .updateTable('messages')
      .set((eb) => ({ reply_count: eb('reply_count', '+', count), last_reply_at: now }))
      .where('id', '=', rootId)
      .execute();
  }
  if (replies.size === 0) return [];
  return trx.selectFrom('messages').selectAll().where('id', 'in', [...replies.keys()]).execute();
}

export async function touchRooms(trx: Transaction<Database>, roomIds: readonly string[], now: number): Promise<void> {
  if (roomIds.length > 0) await trx.updateTable('rooms').set({ last_message_at: now }).where('id', 'in', roomIds).execute();
}

export async function listPinned(db: Kysely<Database>, roomId: string, readerId: string): Promise<MessageRow[]> {
  return db
    .selectFrom('messages')
    .selectAll()
    .where('room_id', '=', roomId)
    .where('pinned_at', 'is not', null)
    .where(messageReadableBy(readerId))
    .orderBy('pinned_at', 'desc')
    .limit(100)
    .execute();
}

/** A page of the messages that mention the user (`messagesMentioning`), newest first. */
export async function mentionsPage(db: Kysely<Database>, userId: string, beforePosition: number | undefined, limit: number): Promise<MessageRow[]> {
  let query = messagesMentioning(db, userId)
    .selectAll('messages')
    .orderBy('messages.position', 'desc')
    .limit(limit + 1);
  if (beforePosition !== undefined) query = query.where('messages.position', '<', beforePosition);
  return query.execute();
}

/** Ids of the room's members among the given usernames: only members can be mentioned. */
export async function memberIdsByUsername(db: Kysely<Database>, roomId: string, usernames: readonly string[]): Promise<string[]> {
  if (usernames.length === 0) return [];
  const rows = await db
    .selectFrom('users')
    .innerJoin('room_members', (join) => join.onRef('room_members.user_id', '=', 'users.id').on('room_members.room_id', '=', roomId))
    .select('users.id')
    .where('users.username', 'in', usernames)
    .execute();
  return rows.map((row) => row.id);
}

export async function setRestrictions(trx: Transaction<Database>, messageId: string, restrictions: number): Promise<void> {
  await trx.updateTable('messages').set({ restrictions }).where('id', '=', messageId).execute();
}

/** Per label among `labels`, how many of the room's messages (hidden ones aside) carry it. */
export async function countMessagesLabelled(db: Kysely<Database>, roomId: string, labels: readonly string[]): Promise<{ label: string; count: number }[]> {
  if (labels.length === 0) return [];
  const rows = await db
    .selectFrom('messages')
    .select('label')
    .select((eb) => eb.fn.countAll<number | string>().as('count'))
    .where('room_id', '=', roomId)
    .where('hidden_at', 'is', null)
    .where('label', 'in', labels)
    .groupBy('label')
    .orderBy('label')
    .execute();
  return rows.map((row) => ({ label: row.label, count: Number(row.count) }));
}

/** Brings the room's messages labelled with one of `labels` (hidden ones aside) down to `to`. */
export async function relabelMessages(trx: Transaction<Database>, roomId: string, labels: readonly string[], to: string): Promise<void> {
  if (labels.length === 0) return;
  await trx.updateTable('messages').set({ label: to }).where('room_id', '=', roomId).where('hidden_at', 'is', null).where('label', 'in', labels).execute();
}

/** Hides the room's messages labelled with one of `labels` from everyone; they are unpinned, as a deleted message is. */
export async function hideMessages(trx: Transaction<Database>, roomId: string, labels: readonly string[], now: number): Promise<void> {
  if (labels.length === 0) return;
  await trx
    .updateTable('messages')
    .set({ hidden_at: now, pinned_at: null, pinned_by: null })
    .where('room_id', '=', roomId)
    .where('hidden_at', 'is', null)
    .where('label', 'in', labels)
    .execute();
}

/** When the sender's urgent messages since `since` were sent, oldest first, at most `limit` (the urgent rate limit). */
export async function urgentSendTimesSince(db: Kysely<Database>, senderId: string, since: number, limit: number): Promise<number[]> {
  const rows = await db
    .selectFrom('messages')
    .select('created_at')
    .where('sender_id', '=', senderId)
    .where('created_at', '>', since)
    .where('urgent_reason', 'is not', null)
    .orderBy('created_at')
    .limit(limit)
    .execute();
  return rows.map((row) => Number(row.created_at));
}
