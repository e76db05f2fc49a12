/**
 * Why a backup, a verification or a restore stopped. The codes are stable (scripts match on them); the message
 * says what is wrong and what to do, for the operator reading the terminal.
 */
export type BackupErrorCode =
  /** The --out directory exists and is not empty: a backup never mixes with other files. */
  | 'BACKUP_OUT_NOT_EMPTY'
  /** The backup fails verification: a changed, missing or extra file, or a manifest that is not as written. */
  | 'BACKUP_INVALID'
  /** The master key the manifest's MAC needs is not given, or is not the backup's key. */
  | 'BACKUP_MASTER_KEY_MISSING'
  /** pg_dump or pg_restore is not installed (or not on PATH). */
  | 'BACKUP_TOOL_MISSING'
  /** pg_dump, pg_restore or the snapshot failed; the message carries the tool's own words. */
  | 'BACKUP_FAILED'
  /** The target of a restore already holds an installation, and --force was not given. */
  | 'RESTORE_TARGET_EXISTS'
  /** A server (or another process) is using the target of a restore. */
  | 'RESTORE_TARGET_IN_USE'
  /** The backup was taken on the other database backend. */
  | 'RESTORE_WRONG_BACKEND';

export class BackupError extends Error {
  constructor(
    readonly code: BackupErrorCode,
    message: string,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
  }
}
