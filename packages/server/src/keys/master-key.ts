import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';

const KEY_BYTES = 32;
const IV_BYTES = 12;
export const MASTER_KEY_FILE = 'master.key';

/**
 * What wraps and unwraps data keys. Its secret never reaches the database; a hardware or network key service
 * plugs in here by implementing the same two calls (they are asynchronous for that reason).
 */
export interface MasterKey {
  /** A short fingerprint stored beside every data key it wraps, so the right key is found and a wrong one named. */
  readonly id: string;
  wrap(dataKey: Buffer, owner: string): Promise<string>;
  /** Throws when `wrapped` was not wrapped by this key for this owner. */
  unwrap(wrapped: string, owner: string): Promise<Buffer>;
}

/** The master keys in use: `current` wraps new data keys; the others only unwrap, while a rotation moves off them. */
export interface MasterKeys {
  current: MasterKey;
  /** Every key in use, current first. */
  all: readonly MasterKey[];
  byId(id: string): MasterKey | undefined;
  /** Where the keys came from, for messages to the operator (never the key itself). */
  source: string;
}

/** A master key held in this process's memory: AES-256-GCM key wrapping with the owner as associated data. */
export class LocalMasterKey implements MasterKey {
  readonly id: string;

  constructor(private readonly secret: Buffer) {
    if (secret.length !== KEY_BYTES) throw new Error(`a master key is ${KEY_BYTES} bytes`);
    this.id = createHmac('sha256', secret).update('enclave master key id').digest('hex').slice(0, 16);
  }

  async wrap(dataKey: Buffer, owner: string): Promise<string> {
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', this.secret, iv);
    cipher.setAAD(Buffer.from(`enclave/data-key/${owner}`, 'utf8'));
    const wrapped = Buffer.concat([cipher.update(dataKey), cipher.final()]);
    return Buffer.concat([iv, cipher.getAuthTag(), wrapped]).toString('base64url');
  }

  async unwrap(wrapped: string, owner: string): Promise<Buffer> {
    const bytes = Buffer.from(wrapped, 'base64url');
    const decipher = createDecipheriv('aes-256-gcm', this.secret, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(`enclave/data-key/${owner}`, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + 16));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + 16)), decipher.final()]);
  }
}

export class MasterKeyError extends Error {}

export interface MasterKeySource {
  /** Base64 of 32 bytes (ENCLAVE_MASTER_KEY). */
  masterKey?: string | undefined;
  /** A key file's path (ENCLAVE_MASTER_KEY_FILE); otherwise `master.key` in the data directory. */
  masterKeyFile?: string | undefined;
  dataDir: string;
}

/** The key file in use: the given path, or `master.key` in the data directory. */
export function masterKeyFilePath(source: MasterKeySource): string {
  return path.resolve(source.masterKeyFile ?? path.join(source.dataDir, MASTER_KEY_FILE));
}

/**
 * Reads the master keys: from ENCLAVE_MASTER_KEY, or else from the key file, one base64 key per line, the first
 * the current one (a rotation adds the new key on top and removes the old one when nothing uses it any more).
 * `createIfMissing` generates a key file with mode 0600; the caller allows it only when no data key exists yet,
 * so a lost key file is never silently replaced while encrypted data waits for it.
 */
export function loadMasterKeys(source: MasterKeySource, options: { createIfMissing: boolean }): MasterKeys | undefined {
  if (source.masterKey) return keySet([decodeKey(source.masterKey, 'ENCLAVE_MASTER_KEY')], 'ENCLAVE_MASTER_KEY');
  const file = masterKeyFilePath(source);
  if (!existsSync(file)) {
    if (!options.createIfMissing) return undefined;
    mkdirSync(path.dirname(file), { recursive: true });
    try {
      // 'wx' fails if another process created the file meanwhile; then that process's key is the one to use.
      writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  return keySet(readKeyFile(file), file);
}

/** The keys in a key file, current first. */
export function readKeyFile(file: string): Buffer[] {
  const lines = readFileSync(file, 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  if (lines.length === 0) throw new MasterKeyError(`${file} holds no key`);
  return lines.map((line) => decodeKey(line, file));
}

function keySet(secrets: Buffer[], source: string): MasterKeys {
  const keys = secrets.map((secret) => new LocalMasterKey(secret));
  const byId = new Map(keys.map((key) => [key.id, key]));
  return { current: keys[0]!, all: keys, byId: (id) => byId.get(id), source };
}

/** The master keys in a key file, current first (key rotation reads the file it is about to change). */
export function masterKeysOfFile(file: string): MasterKeys {
  return keySet(readKeyFile(file), file);
}

export function newMasterKeySecret(): Buffer {
  return randomBytes(KEY_BYTES);
}

/**
 * Replaces a key file in one step: the new content is written and flushed to a file beside it (mode 0600 from
 * its creation, so the key is never readable by others even for a moment), then renamed over the old one. A
 * crash leaves either the old file or the new one, never half of either.
 */
export function writeKeyFile(file: string, secrets: readonly Buffer[]): void {
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const fd = openSync(temporary, 'wx', 0o600);
  try {
    writeSync(fd, secrets.map((secret) => `${secret.toString('base64')}\n`).join(''));
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  try {
    renameSync(temporary, file);
  } catch (error) {
    rmSync(temporary, { force: true });
    throw error;
  }
  const directory = openSync(path.dirname(file), 'r');
  try {
    fsyncSync(directory);
  } finally {
    closeSync(directory);
  }
}

/** What identifies one version of a key file: a rotation's rename gives the file a new inode and time. */
export function keyFileVersion(file: string): string | undefined {
  try {
    const stat = statSync(file);
    return `${stat.ino}:${stat.mtimeMs}:${stat.size}`;
  } catch {
    return undefined;
  }
}

export function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text) {
    throw new MasterKeyError(`${source} must hold ${KEY_BYTES} random bytes in base64 (for example: openssl rand -base64 32)`);
  }
  return key;
}
