import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { z } from 'zod';
import type { MasterKeys } from '../keys/master-key';

export const MANIFEST_FILE = 'manifest.json';
export const BACKUP_FORMAT = 'enclave-backup';
export const BACKUP_FORMAT_VERSION = 1;

/**
 * Where each kind of entry lives inside a backup directory. A path is checked against these before anything
 * opens it, so a manifest can never point a restore outside the backup (or the files directory).
 */
export const ENTRY_PATH = /^(database\/enclave\.db|database\/enclave\.pgdump|files\/[0-9a-f]{64}(\.thumbnail)?)$/;

const Entry = z.object({
  path: z.string().regex(ENTRY_PATH),
  kind: z.enum(['database', 'file', 'thumbnail']),
  size: z.number().int().nonnegative(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});

export const BackupManifest = z.object({
  format: z.literal(BACKUP_FORMAT),
  formatVersion: z.literal(BACKUP_FORMAT_VERSION),
  backupId: z.string().regex(/^[0-9a-f]{32}$/),
  createdAt: z.string(),
  source: z.object({
    dialect: z.enum(['sqlite', 'postgres']),
    enclaveVersion: z.string(),
    /** The last migration the snapshot had applied: a restore on an older Enclave would not know the schema. */
    schemaMigration: z.string(),
  }),
  entries: z.array(Entry),
  /** Stored files the snapshot names whose bytes were deleted (their room was deleted) before they were copied. */
  notCopied: z.array(z.object({ path: z.string().regex(ENTRY_PATH), reason: z.literal('deleted-after-snapshot') })),
  mac: z.object({
    algorithm: z.literal('HMAC-SHA256'),
    /** The master key that wrapped the MAC key: the key of the backup's day. */
    masterKeyId: z.string(),
    wrappedKey: z.string(),
    value: z.string().regex(/^[0-9a-f]{64}$/),
  }),
});
export type BackupManifest = z.infer<typeof BackupManifest>;
export type BackupEntry = z.infer<typeof Entry>;
export type UnsignedManifest = Omit<BackupManifest, 'mac'>;

/**
 * The manifest's bytes: keys sorted at every level, two-space indented. There is exactly one way to write a
 * manifest, so verification compares the file with this form byte for byte and any edit shows, even one that
 * JSON would read the same (spacing, key order).
 */
export function serialiseManifest(manifest: unknown): string {
  return `${JSON.stringify(sortKeys(manifest), null, 2)}\n`;
}

/**
 * Signs the manifest. The MAC key is a fresh random key wrapped by the current master key (for this backup id),
 * so it is derived from the master key without being it: producing a valid MAC needs the master key, and the
 * master key itself never leaves its source (a hardware or network key service only wraps and unwraps).
 */
export async function signManifest(unsigned: UnsignedManifest, masters: MasterKeys): Promise<BackupManifest> {
  const macKey = randomBytes(32);
  const master = masters.current;
  const header = { algorithm: 'HMAC-SHA256' as const, masterKeyId: master.id, wrappedKey: await master.wrap(macKey, macOwner(unsigned.backupId)) };
  return { ...unsigned, mac: { ...header, value: macOf(macKey, { ...unsigned, mac: header }) } };
}

export type ManifestCheck = { ok: true; manifest: BackupManifest } | { ok: false; problem: string; missingKey?: boolean };

/** Reads and authenticates a manifest's text: its form, its exact bytes, then its MAC with the master key. */
export async function checkManifest(text: string, masters: MasterKeys | undefined): Promise<ManifestCheck> {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, problem: `${MANIFEST_FILE} is not valid JSON` };
  }
  const parsed = BackupManifest.safeParse(raw);
  if (!parsed.success) return { ok: false, problem: `${MANIFEST_FILE} is not an Enclave backup manifest (${parsed.error.issues[0]?.path.join('.') || 'format'})` };
  if (serialiseManifest(raw) !== text) return { ok: false, problem: `${MANIFEST_FILE} was edited: it is not byte for byte as the backup wrote it` };
  const manifest = parsed.data;
  if (!masters) {
    return { ok: false, missingKey: true, problem: `checking ${MANIFEST_FILE} needs the master key of the backup's day (key id ${manifest.mac.masterKeyId}); set ENCLAVE_MASTER_KEY or ENCLAVE_MASTER_KEY_FILE, or put master.key in the data directory` };
  }
  const master = masters.byId(manifest.mac.masterKeyId);
  if (!master) {
    return { ok: false, missingKey: true, problem: `the backup was signed with master key ${manifest.mac.masterKeyId}, but the key from ${masters.source} is ${masters.current.id}; give the master key of the backup's day` };
  }
  let macKey: Buffer;
  try {
    macKey = await master.unwrap(manifest.mac.wrappedKey, macOwner(manifest.backupId));
  } catch {
    return { ok: false, problem: `${MANIFEST_FILE} was changed: its MAC key does not unwrap with master key ${master.id}` };
  }
  const { value, ...header } = manifest.mac;
  const expected = Buffer.from(macOf(macKey, { ...manifest, mac: header }), 'hex');
  if (!timingSafeEqual(expected, Buffer.from(value, 'hex'))) return { ok: false, problem: `${MANIFEST_FILE} was changed: its MAC does not match` };
  return { ok: true, manifest };
}

function macOwner(backupId: string): string {
  return `backup-manifest/${backupId}`;
}

function macOf(key: Buffer, manifestWithoutValue: unknown): string {
  return createHmac('sha256', key).update(serialiseManifest(manifestWithoutValue)).digest('hex');
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((key) => [key, sortKeys((value as Record<string, unknown>)[key])]),
    );
  }
  return value;
}
