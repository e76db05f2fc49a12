import { randomBytes } from 'node:crypto';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { dataKeysExist, deleteKeys, insertKeyIfAbsent, keyCountsByMaster, keysOf, oneKeyWrappedBy, readKeysState, standingKeys, writeKeysState, type DataKeyRow } from './keys.repository';
import { keyFileVersion, MasterKeyError, masterKeyFilePath, loadMasterKeys, type MasterKeySource, type MasterKeys } from './master-key';

/** Where the names of the upgrade steps that have sealed everything they look after are kept (keys_state). */
const SEALED_STEPS = 'encryption.sealed_steps';

export interface KeyringOptions {
  encrypting: boolean;
  /**
   * Where the master keys came from. With a key file, the keyring re-reads it when it changes (a rotation writes
   * a new current key on top), before it wraps a new data key and when a data key names a master key it lacks.
   */
  source?: MasterKeySource;
  /** The names of the upgrade steps of this version (keys/upgrade-steps.ts), to tell whether any plain content can remain. */
  upgradeSteps?: readonly string[];
}

/** Whose data a key encrypts. A file has its own key because a forward can carry it on after its room is deleted. */
export type KeyOwner = `room:${string}` | `file:${string}` | 'search' | 'records' | 'secrets';

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
 *
 * `acceptsPlain` is the one answer every codec consults before it reads a stored value that is not sealed: true
 * while an installation from before encryption is still being sealed in place (keys/encryption-upgrade.ts), and
 * whenever encryption is off; false once every upgrade step of this version has sealed all it looks after, so
 * that from then on a plain value where a sealed one belongs is damage, not history.
 */
export class Keyring {
  private keyFile: { path: string; version: string | undefined } | undefined;

  private constructor(
    private masters: MasterKeys,
    private readonly keys: Map<string, Buffer>,
    readonly encrypting: boolean,
    private plainAccepted: boolean,
    private readonly source: MasterKeySource | undefined,
  ) {
    if (source && !source.masterKey) {
      const file = masterKeyFilePath(source);
      this.keyFile = { path: file, version: keyFileVersion(file) };
    }
  }

  /**
   * Checks the master keys against the data keys already stored and loads them. A key that does not unwrap a
   * stored data key is the wrong key: the start stops with a message naming the fix, having written nothing.
   */
  static async open(db: Kysely<Database>, masters: MasterKeys, options: KeyringOptions): Promise<Keyring> {
    const sealedSteps = await readKeysState(db, SEALED_STEPS);
    if (!options.encrypting && sealedSteps !== undefined) {
      // Content written while encryption is off is plain, so a later start with it on must seal it again.
      await writeKeysState(db, SEALED_STEPS, undefined);
    }
    const keyring = new Keyring(masters, new Map(), options.encrypting, !options.encrypting || !coversSteps(sealedSteps, options.upgradeSteps ?? []), options.source);
    for (const row of await standingKeys(db)) keyring.keys.set(row.owner, await keyring.unwrap(row));
    for (const owner of ['search', 'records'] as const) if (!keyring.keys.has(owner)) await keyring.create(db, owner);
    return keyring;
  }

  get masterKeys(): MasterKeys {
    return this.masters;
  }

  /** Replaces the master keys in use (a key service that rotates on its own); new data keys are wrapped by its current key. */
  useMasterKeys(masters: MasterKeys): void {
    this.masters = masters;
  }

  /** Whether a codec may read a stored value that is not sealed as plain content (see the class comment). */
  get acceptsPlain(): boolean {
    return this.plainAccepted;
  }

  /**
   * Records that these upgrade steps (all of this version's) left no plain content: from now on codecs refuse
   * plain values. Other nodes learn it at their next start, or when their own upgrade runner finds nothing left.
   */
  async markSealed(db: Kysely<Database>, steps: readonly string[]): Promise<void> {
    if (!this.encrypting) return;
    await writeKeysState(db, SEALED_STEPS, JSON.stringify([...steps].sort()));
    this.plainAccepted = false;
  }

  /**
   * Re-reads the key file when a rotation changed it, so that new data keys are wrapped by the new current master
   * key and keys another node wrapped with it can be opened. A stat per call: keys are created rarely.
   */
  refreshMasterKeys(): void {
    if (!this.keyFile || !this.source) return;
    const version = keyFileVersion(this.keyFile.path);
    if (version === undefined || version === this.keyFile.version) return;
    const masters = loadMasterKeys(this.source, { createIfMissing: false });
    if (masters) this.masters = masters;
    this.keyFile.version = version;
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
    for (const row of await keysOf(db, missing)) this.keys.set(row.owner, await this.unwrap(row));
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

  /**
   * An installation key that an older version kept outside the database (the TOTP secret key): `legacy` becomes
   * the data key when the database has none yet, so what it sealed stays readable, and from then on the master
   * key is the only key outside the database. Without `legacy` a new key is created as for any owner.
   */
  async adopt(db: Kysely<Database>, owner: 'secrets', legacy: Buffer | undefined): Promise<Buffer> {
    const loaded = this.keys.get(owner);
    if (loaded) return loaded;
    await this.ensure(db, [owner]);
    return this.keys.get(owner) ?? this.create(db, owner, legacy);
  }

  private async create(db: Kysely<Database> | Transaction<Database>, owner: KeyOwner, secret: Buffer = randomBytes(32)): Promise<Buffer> {
    this.refreshMasterKeys();
    const master = this.masters.current;
    const stored = await insertKeyIfAbsent(db, { owner, wrapped: await master.wrap(secret, owner), master_key_id: master.id, created_at: Date.now() });
    const key = await this.unwrap(stored);
    this.keys.set(owner, key);
    return key;
  }

  private async unwrap(row: DataKeyRow): Promise<Buffer> {
    // A key wrapped by a master key this node has not seen yet was wrapped after a rotation began elsewhere.
    if (!this.masters.byId(row.master_key_id)) this.refreshMasterKeys();
    return unwrapRow(this.masters, row);
  }
}

function coversSteps(stored: string | undefined, steps: readonly string[]): boolean {
  if (stored === undefined) return false;
  const sealed = new Set(JSON.parse(stored) as string[]);
  return steps.every((step) => sealed.has(step));
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
    // One data key per master key that wrapped any is enough to tell the right keys from wrong ones before
    // anything else happens; it also catches a key file that lost a key a rotation had not moved off yet.
    for (const masterKeyId of (await keyCountsByMaster(db)).keys()) {
      const sample = await oneKeyWrappedBy(db, masterKeyId);
      if (sample) await unwrapRow(masters, sample);
    }
  }
  return masters;
}
