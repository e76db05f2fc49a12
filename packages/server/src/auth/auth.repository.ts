import { sql, type Kysely, type Transaction } from 'kysely';
import { preparedQuery, type Param } from '../db/prepared-query';
import type { Database, SessionsTable } from '../db/schema';

export type SessionRow = SessionsTable;

export async function insertSession(trx: Transaction<Database>, session: SessionRow): Promise<void> {
  await trx.insertInto('sessions').values(session).execute();
}

/** Every signed-in request asks this first, so it is prepared once. */
const activeSession = preparedQuery((db, param: Param<{ tokenHash: string; now: number; requireTwoFactorKey: string }>) =>
  db
    .selectFrom('sessions')
    .innerJoin('users', 'users.id', 'sessions.user_id')
    .leftJoin('settings', (join) => join.on('settings.key', '=', param('requireTwoFactorKey')))
    .select([
      'sessions.id as sessionId',
      'sessions.last_seen_at as lastSeenAt',
      'users.id as userId',
      'users.username',
      'users.role',
      'users.totp_enabled_at as totpEnabledAt',
      'users.password_change_required as passwordChangeRequired',
      'settings.value as requireTwoFactor',
    ])
    .where('sessions.token_hash', '=', param('tokenHash'))
    .where('sessions.revoked_at', 'is', null)
    .where('sessions.expires_at', '>', param('now'))
    .where('users.disabled_at', 'is', null),
);

/**
 * The live session for a token hash, with the user it belongs to (never a disabled one), whether that user has
 * two-factor sign-in on and must change their password, and the organisation's stored value of `requireTwoFactorKey`: one query per request.
 */
export async function findActiveSession(db: Kysely<Database>, tokenHash: string, now: number, requireTwoFactorKey: string) {
  return activeSession.executeTakeFirst(db, { tokenHash, now, requireTwoFactorKey });
}

export async function touchSession(db: Kysely<Database>, sessionId: string, now: number): Promise<void> {
  await db.updateTable('sessions').set({ last_seen_at: now }).where('id', '=', sessionId).execute();
}

export async function listActiveSessions(db: Kysely<Database>, userId: string, now: number): Promise<SessionRow[]> {
  return db
    .selectFrom('sessions')
    .selectAll()
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('expires_at', '>', now)
    .orderBy('last_seen_at', 'desc')
    .execute();
}

/** Revokes every session of a user except one; returns the ids revoked. */
export async function revokeSessionsExcept(trx: Transaction<Database>, userId: string, keepId: string, now: number): Promise<string[]> {
  const rows = await trx
    .updateTable('sessions')
    .set({ revoked_at: now })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .where('id', '!=', keepId)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

/** Revokes the given sessions of one user (all of them when `sessionIds` is omitted); returns the ids revoked. */
export async function revokeSessions(trx: Transaction<Database>, userId: string, now: number, sessionIds?: string[]): Promise<string[]> {
  let query = trx.updateTable('sessions').set({ revoked_at: now }).where('user_id', '=', userId).where('revoked_at', 'is', null);
  if (sessionIds) query = query.where('id', 'in', sessionIds);
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id);
}

/** How many session ids one query names: well under either database's limit on parameters. */
const STANDING_BATCH = 1000;

/**
 * Which of these sessions are still live (not revoked, not expired, their person not disabled), with the person's
 * role and clearance as they are now: what an open stream is checked against when a node may have missed the news.
 */
export async function standingOfSessions(db: Kysely<Database>, sessionIds: readonly string[], now: number): Promise<Map<string, { role: string; clearance: string }>> {
  const standing = new Map<string, { role: string; clearance: string }>();
  for (let start = 0; start < sessionIds.length; start += STANDING_BATCH) {
    const ids = sessionIds.slice(start, start + STANDING_BATCH);
    // Plain SQL: the same query through the builder's join types costs the type check more than it is worth.
    const { rows } = await sql<{ sessionId: string; role: string; clearance: string }>`
      select sessions.id as "sessionId", users.role, users.clearance
      from sessions join users on users.id = sessions.user_id
      where sessions.id in (${sql.join(ids)}) and sessions.revoked_at is null and sessions.expires_at > ${now} and users.disabled_at is null`.execute(db);
    for (const row of rows) standing.set(row.sessionId, { role: row.role, clearance: row.clearance });
  }
  return standing;
}
