import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * AES-256-GCM for content stored in the database, bound to the row it belongs to: `aad` names the row (for
 * example `message/<room>/<id>/current`), so a ciphertext copied into another row, or another version of the same
 * row, does not open there. Stored text starts with SEALED_PREFIX, which no plain text the server stores begins
 * with (the prefix starts with a control character input validation never lets through), so an installation
 * being encrypted in place can tell which rows are done.
 */
export const SEALED_PREFIX = '\u0001e1.';
const IV_BYTES = 12;
/**
 * IVs are random (96 bits from the system's CSPRNG, never reused), taken from a pool filled 1,024 at a time: one
 * randomBytes call per seal cost about a third of sealing a short message.
 */
const IV_POOL_BYTES = IV_BYTES * 1024;
let ivPool = Buffer.alloc(0);
let ivOffset = 0;

function nextIv(): Buffer {
  if (ivOffset + IV_BYTES > ivPool.length) {
    ivPool = randomBytes(IV_POOL_BYTES);
    ivOffset = 0;
  }
  const iv = ivPool.subarray(ivOffset, ivOffset + IV_BYTES);
  ivOffset += IV_BYTES;
  return iv;
}
const TAG_BYTES = 16;

export class ContentDamaged extends Error {
  constructor(readonly aad: string) {
    super(`stored content does not open: ${aad}`);
    this.name = 'ContentDamaged';
  }
}

export function isSealed(stored: string): boolean {
  return stored.startsWith(SEALED_PREFIX);
}

export function sealBytes(key: Buffer, aad: string, plaintext: Uint8Array): Buffer {
  const iv = nextIv();
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(Buffer.from(aad, 'utf8'));
  const ciphertext = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([iv, cipher.getAuthTag(), ciphertext]);
}

/** Throws ContentDamaged when the bytes were sealed with another key or for another row, or were changed. */
export function openBytes(key: Buffer, aad: string, sealed: Uint8Array): Buffer {
  if (sealed.length < IV_BYTES + TAG_BYTES) throw new ContentDamaged(aad);
  const bytes = Buffer.from(sealed.buffer, sealed.byteOffset, sealed.byteLength);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, bytes.subarray(0, IV_BYTES));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(bytes.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
    return Buffer.concat([decipher.update(bytes.subarray(IV_BYTES + TAG_BYTES)), decipher.final()]);
  } catch {
    throw new ContentDamaged(aad);
  }
}

export function sealText(key: Buffer, aad: string, text: string): string {
  return SEALED_PREFIX + sealBytes(key, aad, Buffer.from(text, 'utf8')).toString('base64url');
}

/** Throws ContentDamaged when `stored` is not sealed text, or does not open with this key for this row. */
export function openText(key: Buffer, aad: string, stored: string): string {
  if (!isSealed(stored)) throw new ContentDamaged(aad);
  return openBytes(key, aad, Buffer.from(stored.slice(SEALED_PREFIX.length), 'base64url')).toString('utf8');
}
