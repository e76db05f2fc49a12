import { existsSync } from 'node:fs';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { keyCountsByMaster, keysNotWrappedBy, recordRetiredMasterKeys, replaceWrapping } from './keys.repository';
import { decodeKey, MasterKeyError, masterKeyFilePath, masterKeysOfFile, newMasterKeySecret, readKeyFile, writeKeyFile, type MasterKeys, type MasterKeySource } from './master-key';

export interface RotationOptions {
  /** With ENCLAVE_MASTER_KEY, where to write the new key file (the environment cannot be rewritten). */
  newKeyFile?: string;
  batchSize?: number;
  /**
   * How long to wait after the key file changed before the last pass: a running node re-reads the file before it
   * wraps a new data key, so only a key it was wrapping at that very moment can still come in under the old one.
   */
  settleMs?: number;
  /** Called after each batch with the number of data keys re-wrapped so far and the number to do. */
  onProgress?: (done: number, total: number) => void;
}

export interface RotationReport {
  keyFile: string;
  /** The new current master key. */
  masterKeyId: string;
  /** The master keys moved off (retired unless `finished` is false). */
  previous: string[];
  rewrapped: number;
  /** False with ENCLAVE_MASTER_KEY: the old key stays in the new file until every node runs on that file. */
  finished: boolean;
  /** What the operator does next, when anything. */
  next?: string;
}

/**
 * Moves every data key onto a new master key while the servers keep running. The key file is the journal: the
 * new key is written on top of the old one first (an atomic replace), so every node and every restart can open
 * keys wrapped by either; then the data keys are re-wrapped in batches until none is left under an old key
 * (running nodes pick up the new key by re-reading the file, and keys they create meanwhile are caught by the
 * loop); only then is the retirement recorded and the old key removed from the file. Killed at any point, it is
 * resumed by running it again: a key file holding more than one key is a rotation in progress.
 */
export async function rotateMasterKey(db: Kysely<Database>, source: MasterKeySource, options: RotationOptions = {}): Promise<RotationReport> {
  const fromEnvironment = source.masterKey !== undefined;
  if (fromEnvironment && !options.newKeyFile) {
    throw new MasterKeyError(
      'The master key comes from ENCLAVE_MASTER_KEY, which this command cannot change. Run it with --new-key-file PATH: ' +
        'it writes a new key file there (holding the new key and the current one) and re-wraps every data key; then restart every node ' +
        'with ENCLAVE_MASTER_KEY_FILE=PATH instead of ENCLAVE_MASTER_KEY, and run "enclave keys rotate" once more to retire the old key.',
    );
  }
  if (!fromEnvironment && options.newKeyFile) throw new MasterKeyError('--new-key-file is only for a master key given in ENCLAVE_MASTER_KEY; this installation uses the key file ' + masterKeyFilePath(source));
  const file = options.newKeyFile ?? masterKeyFilePath(source);
  const started = startRotation(file, fromEnvironment ? decodeKey(source.masterKey!, 'ENCLAVE_MASTER_KEY') : undefined);
  const masters = masterKeysOfFile(file);
  const previous = masters.all.slice(1).map((key) => key.id);
  const total = [...(await keyCountsByMaster(db)).entries()].filter(([id]) => id !== masters.current.id).reduce((sum, [, count]) => sum + count, 0);
  const progress = { done: 0, total };
  const pass = async () => {
    progress.done += await rewrapAll(db, masters, options.batchSize ?? 100, (n) => options.onProgress?.(progress.done + n, Math.max(progress.total, progress.done + n)));
    progress.total = Math.max(progress.total, progress.done);
  };
  await pass();
  await settle(options.settleMs);
  await pass();
  if (fromEnvironment) {
    return {
      keyFile: file,
      masterKeyId: masters.current.id,
      previous,
      rewrapped: progress.done,
      finished: false,
      next: `Restart every node with ENCLAVE_MASTER_KEY_FILE=${file} and without ENCLAVE_MASTER_KEY, then run "enclave keys rotate" again to retire the old key.`,
    };
  }
  // Recorded before the old key leaves the file: a crash in between leaves a file a rerun resumes from.
  await db.transaction().execute(async (trx) => {
    await recordRetiredMasterKeys(trx, previous, Date.now());
    await recordAudit(trx, { actorId: null, action: 'keys.rotated', data: { masterKeyId: masters.current.id, retired: previous, rewrapped: progress.done, started } });
  });
  const current = readKeyFile(file)[0]!;
  writeKeyFile(file, [current]);
  // A node that was wrapping a key at the moment of the change may still have used an old key; this process
  // still holds the old keys in memory, so it moves such stragglers too.
  await settle(options.settleMs);
  await pass();
  return { keyFile: file, masterKeyId: masters.current.id, previous, rewrapped: progress.done, finished: true };
}

/**
 * Puts a new current key on top of the file unless a rotation is already in progress (the file holds more than
 * one key). Returns whether this call started the rotation (false: it resumes one).
 */
function startRotation(file: string, environmentKey: Buffer | undefined): boolean {
  if (existsSync(file)) {
    const secrets = readKeyFile(file);
    if (environmentKey && !secrets.some((secret) => secret.equals(environmentKey))) {
      throw new MasterKeyError(`${file} exists and does not hold the key in ENCLAVE_MASTER_KEY: choose a new path, or remove the file if it is left from an abandoned attempt`);
    }
    if (secrets.length > 1 || environmentKey) return false;
    writeKeyFile(file, [newMasterKeySecret(), ...secrets]);
    return true;
  }
  if (!environmentKey) throw new MasterKeyError(`${file} does not exist`);
  writeKeyFile(file, [newMasterKeySecret(), environmentKey]);
  return true;
}

/** Re-wraps every data key not under the current master key; returns how many it re-wrapped. */
async function rewrapAll(db: Kysely<Database>, masters: MasterKeys, batchSize: number, onBatch: (done: number) => void): Promise<number> {
  let done = 0;
  for (;;) {
    const batch = await keysNotWrappedBy(db, masters.current.id, batchSize);
    if (batch.length === 0) return done;
    for (const row of batch) {
      const master = masters.byId(row.master_key_id);
      if (!master) throw new MasterKeyError(`the data key of ${row.owner} is wrapped by master key ${row.master_key_id}, which is not in ${masters.source}: put that key back in the file (below the first line) and run the rotation again`);
      const secret = await master.unwrap(row.wrapped, row.owner);
      // Another rotation process may have moved it meanwhile; then the row no longer matches and is left alone.
      if (await replaceWrapping(db, row.owner, row, { wrapped: await masters.current.wrap(secret, row.owner), masterKeyId: masters.current.id })) done += 1;
    }
    onBatch(done);
  }
}

function settle(ms = 2000): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
