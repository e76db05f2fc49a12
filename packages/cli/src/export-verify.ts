import { createHash } from 'node:crypto';
import { EXPORT_MANIFEST_PATH, EXPORT_PUBLIC_KEY_PATH, EXPORT_SIGNATURE_PATH, ExportManifest } from '@enclave/protocol';
import { publicKeyId, verifyAuditSignature } from '@enclave/server';
import yauzl from 'yauzl';

export interface ExportProblem {
  kind: 'unreadable' | 'manifest' | 'signature' | 'key' | 'missing' | 'extra' | 'changed' | 'duplicate';
  detail: string;
}

export interface ExportVerification {
  ok: boolean;
  file: string;
  /** Which key the signature was checked with: the one given, or (less trustworthy) the one inside the zip. */
  keySource: 'given' | 'embedded';
  keyId: string | null;
  entries: number;
  problems: ExportProblem[];
  manifest?: ExportManifest;
}

/** Small entries read whole; everything else is hashed as it streams, so a big export needs little memory. */
const SIGNING_ENTRIES = new Set([EXPORT_MANIFEST_PATH, EXPORT_SIGNATURE_PATH, EXPORT_PUBLIC_KEY_PATH]);

/**
 * Checks an eDiscovery export offline: the manifest's signature (with the organisation's public key when given),
 * every listed entry's size and SHA-256, and that the zip holds no entry the manifest does not list and lacks
 * none it does. Reads the zip through its central directory, one entry at a time.
 */
export async function verifyExport(file: string, givenPublicKeyPem?: string): Promise<ExportVerification> {
  const problems: ExportProblem[] = [];
  const seen = new Map<string, { size: number; sha256: string }>();
  const signing = new Map<string, Buffer>();
  const zip = await yauzl.openPromise(file);
  try {
    for await (const entry of zip.eachEntry()) {
      if (entry.fileName.endsWith('/')) continue;
      if (seen.has(entry.fileName) || signing.has(entry.fileName)) {
        problems.push({ kind: 'duplicate', detail: `${entry.fileName} appears more than once in the zip` });
        continue;
      }
      try {
        const hash = createHash('sha256');
        const chunks: Buffer[] = [];
        let size = 0;
        for await (const chunk of await zip.openReadStreamPromise(entry)) {
          const bytes = chunk as Buffer;
          hash.update(bytes);
          size += bytes.length;
          if (SIGNING_ENTRIES.has(entry.fileName)) chunks.push(bytes);
        }
        if (SIGNING_ENTRIES.has(entry.fileName)) signing.set(entry.fileName, Buffer.concat(chunks));
        else seen.set(entry.fileName, { size, sha256: hash.digest('hex') });
      } catch (error) {
        problems.push({ kind: 'unreadable', detail: `${entry.fileName}: ${(error as Error).message}` });
      }
    }
  } finally {
    zip.close();
  }

  const embeddedKey = signing.get(EXPORT_PUBLIC_KEY_PATH)?.toString('utf8');
  const publicKeyPem = givenPublicKeyPem ?? embeddedKey;
  const keyId = publicKeyPem === undefined ? null : safeKeyId(publicKeyPem);
  const result = (manifest?: ExportManifest): ExportVerification => ({
    ok: problems.length === 0,
    file,
    keySource: givenPublicKeyPem === undefined ? 'embedded' : 'given',
    keyId,
    entries: seen.size,
    problems,
    ...(manifest ? { manifest } : {}),
  });

  const manifestBytes = signing.get(EXPORT_MANIFEST_PATH);
  if (!manifestBytes) {
    problems.push({ kind: 'manifest', detail: `${EXPORT_MANIFEST_PATH} is missing` });
    return result();
  }
  const signature = signing.get(EXPORT_SIGNATURE_PATH)?.toString('utf8').trim();
  if (publicKeyPem === undefined || keyId === null) problems.push({ kind: 'key', detail: 'no usable public key: give --public-key, or the zip lacks audit-public-key.pem' });
  else if (signature === undefined) problems.push({ kind: 'signature', detail: `${EXPORT_SIGNATURE_PATH} is missing` });
  else if (!verifyAuditSignature(publicKeyPem, manifestBytes, signature)) problems.push({ kind: 'signature', detail: `the signature of ${EXPORT_MANIFEST_PATH} does not verify with key ${keyId}: the manifest was changed, or signed by another key` });

  const parsed = ExportManifest.safeParse(safeJson(manifestBytes));
  if (!parsed.success) {
    problems.push({ kind: 'manifest', detail: `${EXPORT_MANIFEST_PATH} is not an export manifest` });
    return result();
  }
  const manifest = parsed.data;
  if (keyId !== null && manifest.auditKeyId !== keyId) problems.push({ kind: 'key', detail: `the manifest names audit key ${manifest.auditKeyId}, the public key used is ${keyId}` });
  const listed = new Set<string>();
  for (const expected of manifest.entries) {
    listed.add(expected.path);
    const actual = seen.get(expected.path);
    if (!actual) problems.push({ kind: 'missing', detail: `${expected.path} is listed in the manifest but not in the zip` });
    else if (actual.size !== expected.size || actual.sha256 !== expected.sha256) problems.push({ kind: 'changed', detail: `${expected.path}: ${actual.size} bytes, SHA-256 ${actual.sha256}; the manifest says ${expected.size} bytes, ${expected.sha256}` });
  }
  for (const path of seen.keys()) if (!listed.has(path)) problems.push({ kind: 'extra', detail: `${path} is in the zip but not in the manifest` });
  return result(manifest);
}

function safeJson(bytes: Buffer): unknown {
  try {
    return JSON.parse(bytes.toString('utf8'));
  } catch {
    return undefined;
  }
}

function safeKeyId(pem: string): string | null {
  try {
    return publicKeyId(pem);
  } catch {
    return null;
  }
}
