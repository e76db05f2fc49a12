import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';

export async function findTotpState(db: Kysely<Database>, userId: string) {
  return db
    .selectFrom('users')
    .select(['id', 'username', 'totp_secret as sealedSecret', 'totp_enabled_at as enabledAt', 'disabled_at as disabledAt'])
    .where('id', '=', userId)
    .executeTakeFirst();
}

export async function setTotp(
  trx: Transaction<Database>,
  userId: string,
  changes: { totp_secret?: string | null; totp_enabled_at?: number | null; totp_last_step?: number | null },
): Promise<void> {
  await trx.updateTable('users').set(changes).where('id', '=', userId).execute();
}

/** Records a time step as used unless it (or a later one) was used already; false means the code is a replay. */
export async function claimTimeStep(trx: Transaction<Database>, userId: string, step: number): Promise<boolean> {
  const result = await trx
    .updateTable('users')
    .set({ totp_last_step: step })
    .where('id', '=', userId)
    .where((eb) => eb.or([eb('totp_last_step', 'is', null), eb('totp_last_step', '<', step)]))
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function replaceRecoveryCodes(trx: Transaction<Database>, userId: string, codeHashes: string[]): Promise<void> {
  await trx.deleteFrom('totp_recovery_codes').where('user_id', '=', userId).execute();
  if (codeHashes.length > 0) {
    await trx
      .insertInto('totp_recovery_codes')
      .values(codeHashes.map((code_hash) => ({ user_id: userId, code_hash, used_at: null })))
      .execute();
  }
}

/** Marks an unused recovery code as used; false when there is no such unused code. */
export async function useRecoveryCode(trx: Transaction<Database>, userId: string, codeHash: string, now: number): Promise<boolean> {
  const result = await trx
    .updateTable('totp_recovery_codes')
    .set({ used_at: now })
    .where('user_id', '=', userId)
    .where('code_hash', '=', codeHash)
    .where('used_at', 'is', null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export async function insertLoginChallenge(
  trx: Transaction<Database>,
  challenge: { token_hash: string; user_id: string; expires_at: number },
  now: number,
): Promise<void> {
  // Expired challenges of anyone are swept here, so the table stays small without a timer.
  await trx.deleteFrom('login_challenges').where('expires_at', '<=', now).execute();
  await trx.insertInto('login_challenges').values(challenge).execute();
}

export async function findLoginChallenge(db: Kysely<Database>, tokenHash: string, now: number) {
  return db
    .selectFrom('login_challenges')
    .select(['user_id as userId', 'attempts'])
    .where('token_hash', '=', tokenHash)
    .where('expires_at', '>', now)
    .executeTakeFirst();
}

export async function countChallengeAttempt(trx: Transaction<Database>, tokenHash: string): Promise<void> {
  await trx
    .updateTable('login_challenges')
    .set((eb) => ({ attempts: eb('attempts', '+', 1) }))
    .where('token_hash', '=', tokenHash)
    .execute();
}

/** Deletes a challenge; true only for the one caller that deleted it, which makes it single-use. */
export async function consumeLoginChallenge(trx: Transaction<Database>, tokenHash: string): Promise<boolean> {
  const result = await trx.deleteFrom('login_challenges').where('token_hash', '=', tokenHash).executeTakeFirst();
  return Number(result.numDeletedRows) === 1;
}
