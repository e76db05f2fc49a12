import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { dataKeysExist, deleteKeys, insertKeyIfAbsent, keysOf, standingKeys, type DataKeyRow } from './keys.repository';
import { MasterKeyError, masterKeyFilePath, loadMasterKeys, type MasterKeySource, type MasterKeys } from './master-key';

/** Whose data a key encrypts. A file has its own key because a forward can carry it on after its room is deleted. */
export type KeyOwner = `room:${string}` | `file:${string}` | 'search' | 'records';

export const roomKeyOwner = (roomId: string): KeyOwner => `room:${roomId}`;
export const fileKeyOwner = (fileId: string): KeyOwner => `file:${fileId}`;

/** A key the caller needed was not loaded with `ensure` first: a programming error, never a user's. */
export class KeyNotLoaded extends Error {}

/**
 * The unwrapped data keys this node works with, in memory only. Rooms' and the installation's keys are all loaded
 * at start (32 bytes each), so sealing and opening message text is synchronous on the hot path; files' keys are
 * loaded on demand. A key another node created meanwhile is loaded by `ensure`, which every read path calls for
 * the owners of the rows it is about to open.
 *
 * `encrypting` is false only when the configuration turns encryption off (to measure what it costs): then new
 * content is stored plain, and plain content is read as it is.
 */
export class Keyring {
  private constructor(
    private masters: MasterKeys,
    private readonly keys: Map<string, Buffer>,
    readonly encrypting: boolean,
  ) {}

  /**
   * Checks the master keys against the data keys already stored and loads them. A key that does not unwrap a
   * stored data key is the wrong key: the start stops with a message naming the fix, having written nothing.
   */
  static async open(db: Kysely<Database>, masters: MasterKeys, options: { encrypting: boolean }): Promise<Keyring> {
    const keys = new Map<string, Buffer>();
    for (const row of await standingKeys(db)) keys.set(row.owner, await unwrapRow(masters, row));
    const keyring = new Keyring(masters, keys, options.encrypting);
    for (const owner of ['search', 'records'] as const) if (!keys.has(owner)) await keyring.create(db, owner);
    return keyring;
  }

  get masterKeys(): MasterKeys {
    return this.masters;
  }

  /** A rotation added a new current master key (or retired one): new data keys are wrapped by the new one. */
  useMasterKeys(masters: MasterKeys): void {
    this.masters = masters;
  }

  has(owner: KeyOwner): boolean {
    return this.keys.has(owner);
  }

  /** A loaded key; throws KeyNotLoaded when `ensure` (or `open`) did not load it. */
  key(owner: KeyOwner): Buffer {
    const key = this.keys.get(owner);
    if (!key) throw new KeyNotLoaded(`the data key of ${owner} is not loaded`);
    return key;
  }

  /** Loads the keys of these owners that exist and are not loaded yet; an owner without a key stays without. */
  async ensure(db: Kysely<Database>, owners: readonly KeyOwner[]): Promise<void> {
    const missing = [...new Set(owners.filter((owner) => !this.keys.has(owner)))];
    for (const row of await keysOf(db, missing)) this.keys.set(row.owner, await unwrapRow(this.masters, row));
  }

  /** The owner's key, created (and stored wrapped, in `db`'s transaction when one is given) if it has none yet. */
  async keyFor(db: Kysely<Database> | Transaction<Database>, owner: KeyOwner): Promise<Buffer> {
    const loaded = this.keys.get(owner);
    if (loaded) return loaded;
    await this.ensure(db, [owner]);
    return this.keys.get(owner) ?? this.create(db, owner);
  }

  /**
   * Destroys the owners' keys in the transaction that erases their data. Once it commits nothing can open what
   * is left of that data anywhere (free pages, the WAL, old backups), short of a copy of both an old backup and
   * the master key of its day. Returns how many keys were destroyed.
   */
  async destroy(trx: Transaction<Database>, owners: readonly KeyOwner[]): Promise<number> {
    const destroyed = await deleteKeys(trx, owners);
    for (const owner of owners) this.keys.delete(owner);
    return destroyed;
  }

  private async create(db: Kysely<Database> | Transaction<Database>, owner: KeyOwner): Promise<Buffer> {
    const secret = randomBytes(32);
    const master = this.masters.current;
    const stored = await insertKeyIfAbsent(db, { owner, wrapped: await master.wrap(secret, owner), master_key_id: master.id, created_at: Date.now() });
    const key = await unwrapRow(this.masters, stored);
    this.keys.set(owner, key);
    return key;
  }
}

async function unwrapRow(masters: MasterKeys, row: DataKeyRow): Promise<Buffer> {
  const master = masters.byId(row.master_key_id);
  if (!master) throw new MasterKeyError(wrongKeyMessage(masters));
  try {
    return await master.unwrap(row.wrapped, row.owner);
  } catch {
    throw new MasterKeyError(`the data key of ${row.owner} does not unwrap with the master key from ${masters.source}: it is damaged, or the key is not the one it was wrapped with`);
  }
}

function wrongKeyMessage(masters: MasterKeys): string {
  return (
    `The master key from ${masters.source} is not the key this installation's data was encrypted with. ` +
    'Nothing was written. Start with the right key: restore the key file you kept (see "Keys" in docs/admin-guide.md), ' +
    'or set ENCLAVE_MASTER_KEY / ENCLAVE_MASTER_KEY_FILE to it.'
  );
}

/**
 * Run before migrations, so a wrong or missing key stops the start before anything is written. A key file is
 * generated only for an installation that has no data key yet (a new one, or one being upgraded to encryption).
 */
export async function loadMasterKeysFor(db: Kysely<Database>, source: MasterKeySource): Promise<MasterKeys> {
  const encrypted = await dataKeysExist(db);
  const masters = loadMasterKeys(source, { createIfMissing: !encrypted });
  if (!masters) {
    throw new MasterKeyError(
      `This installation's data is encrypted, but its master key is missing: neither ENCLAVE_MASTER_KEY is set nor ${masterKeyFilePath(source)} exists. ` +
        'Nothing was written. Put the key file you kept back in place (or point ENCLAVE_MASTER_KEY_FILE at it) and start again; ' +
        'without it the encrypted data cannot be read (see "Keys" in docs/admin-guide.md).',
    );
  }
  if (encrypted) {
    // One data key is enough to tell the right key from a wrong one before anything else happens.
    const [sample] = await standingKeys(db);
    if (sample) await unwrapRow(masters, sample);
  }
  return masters;
}
