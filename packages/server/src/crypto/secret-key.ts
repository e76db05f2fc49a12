import { readFileSync, rmSync } from 'node:fs';
import path from 'node:path';

const KEY_BYTES = 32;
export const SECRET_KEY_FILE = 'secret.key';

/**
 * The secret key of an installation from before the master key (ENCLAVE_SECRET_KEY, or `secret.key` in the data
 * directory), if it has one. Such a key sealed TOTP secrets and signs send confirmations; the keyring adopts it
 * as the installation's `secrets` data key, wrapped by the master key, so that the master key is the only key kept
 * outside the database. Never creates a key: a new installation's `secrets` key is a data key from the start.
 */
export function legacySecretKey(options: { secretKey?: string | undefined; dataDir: string }): { key: Buffer; file?: string } | undefined {
  if (options.secretKey) return { key: decodeKey(options.secretKey, 'ENCLAVE_SECRET_KEY') };
  const file = path.join(options.dataDir, SECRET_KEY_FILE);
  try {
    return { key: decodeKey(readFileSync(file, 'utf8').trim(), file), file };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Removes `secret.key` once the database holds the same key wrapped by the master key: left in place it would be a
 * second key beside the data, opening the TOTP secrets of any old copy of the database. A file holding another key
 * than the adopted one is left alone for the operator to look at.
 */
export function removeAdoptedSecretKeyFile(legacy: { key: Buffer; file?: string } | undefined, adopted: Buffer): void {
  if (legacy?.file && legacy.key.equals(adopted)) rmSync(legacy.file, { force: true });
}

function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text) {
    throw new Error(`${source} must be ${KEY_BYTES} random bytes in base64 (for example: openssl rand -base64 32)`);
  }
  return key;
}
