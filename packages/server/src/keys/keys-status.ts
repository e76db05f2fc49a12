import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { upgradeRemaining } from './encryption-upgrade';
import { keyCountsByKind, keyCountsByMaster, retiredMasterKeys } from './keys.repository';
import type { MasterKeys } from './master-key';
import type { UpgradeStep } from './upgrade-step';

export interface KeysStatus {
  masterKey: {
    /** ENCLAVE_MASTER_KEY or the key file's path; never the key. */
    source: string;
    id: string;
    /** Other keys in the key file: a rotation in progress (or interrupted) moves off them. */
    previous: string[];
    rotationInProgress: boolean;
  };
  dataKeys: {
    total: number;
    rooms: number;
    files: number;
    installation: number;
    byMasterKey: { masterKeyId: string; count: number; state: 'current' | 'previous' | 'unknown' }[];
  };
  encryption: {
    on: boolean;
    /** No plain content from before encryption is left (and encryption is on). */
    complete: boolean;
    steps: { step: string; remaining: number }[];
  };
  retired: { masterKeyId: string; retiredAt: string }[];
}

/** What `enclave keys status` shows: where the master key comes from and what every key and step is doing. */
export async function readKeysStatus(db: Kysely<Database>, masters: MasterKeys, options: { encrypting: boolean; acceptsPlain: boolean; steps: readonly UpgradeStep[] }): Promise<KeysStatus> {
  const [byMaster, byKind, retired, steps] = await Promise.all([keyCountsByMaster(db), keyCountsByKind(db), retiredMasterKeys(db), upgradeRemaining(db, options.steps)]);
  const previous = masters.all.slice(1).map((key) => key.id);
  return {
    masterKey: { source: masters.source, id: masters.current.id, previous, rotationInProgress: previous.length > 0 || [...byMaster.keys()].some((id) => id !== masters.current.id) },
    dataKeys: {
      total: byKind.rooms + byKind.files + byKind.installation,
      ...byKind,
      byMasterKey: [...byMaster.entries()].map(([masterKeyId, count]) => ({
        masterKeyId,
        count,
        state: masterKeyId === masters.current.id ? 'current' : masters.byId(masterKeyId) ? 'previous' : 'unknown',
      })),
    },
    encryption: { on: options.encrypting, complete: options.encrypting && !options.acceptsPlain, steps },
    retired: retired.map((row) => ({ masterKeyId: row.master_key_id, retiredAt: new Date(Number(row.retired_at)).toISOString() })),
  };
}
