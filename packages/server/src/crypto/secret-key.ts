import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const KEY_BYTES = 32;
export const SECRET_KEY_FILE = 'secret.key';

/**
 * The key that encrypts secrets at rest (TOTP secrets). It never lives in the database, so a stolen database dump
 * alone does not reveal them: it comes from ENCLAVE_SECRET_KEY (base64 of 32 bytes), or else from `secret.key` in
 * the data directory, created with mode 0600 on the first start. Several nodes sharing one database must share
 * the key, which is why the environment variable exists.
 */
export function loadSecretKey(options: { secretKey?: string | undefined; dataDir: string }): Buffer {
  if (options.secretKey) return decodeKey(options.secretKey, 'ENCLAVE_SECRET_KEY');
  const file = path.join(options.dataDir, SECRET_KEY_FILE);
  try {
    return decodeKey(readFileSync(file, 'utf8').trim(), file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  mkdirSync(options.dataDir, { recursive: true });
  try {
    // 'wx' fails if another process created the file meanwhile; then that process's key is the one to use.
    writeFileSync(file, `${randomBytes(KEY_BYTES).toString('base64')}\n`, { mode: 0o600, flag: 'wx' });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return decodeKey(readFileSync(file, 'utf8').trim(), file);
}

function decodeKey(text: string, source: string): Buffer {
  const key = Buffer.from(text, 'base64');
  if (key.length !== KEY_BYTES || key.toString('base64') !== text) {
    throw new Error(`${source} must be ${KEY_BYTES} random bytes in base64 (for example: openssl rand -base64 32)`);
  }
  return key;
}
