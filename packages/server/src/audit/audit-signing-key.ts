import { createHash, createPrivateKey, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const AUDIT_KEY_FILE = 'audit-signing.key';

export interface AuditKeySource {
  /** A PEM file holding the Ed25519 private key (ENCLAVE_AUDIT_KEY_FILE); otherwise `audit-signing.key` in the data directory. */
  auditKeyFile?: string | undefined;
  dataDir: string;
}

export class AuditKeyError extends Error {}

/**
 * The organisation's audit key: an Ed25519 key pair that signs audit checkpoints and export manifests. Like the
 * master key it lives outside the database (a PEM file, mode 0600, generated on the first start), so someone who
 * can rewrite the database cannot re-sign what they rewrote; anyone holding the public key can check a signature
 * offline.
 */
export class AuditSigningKey {
  /** SHA-256 of the public key's DER form, first 16 hex digits: names the key in what it signs. */
  readonly keyId: string;
  readonly publicKeyPem: string;

  private constructor(private readonly privateKey: KeyObject) {
    const publicKey = createPublicKey(privateKey);
    this.publicKeyPem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    this.keyId = publicKeyId(this.publicKeyPem);
  }

  /** Reads the key file, generating it (0600) when it does not exist yet. */
  static open(source: AuditKeySource): AuditSigningKey {
    const file = auditKeyFilePath(source);
    if (!existsSync(file)) {
      mkdirSync(path.dirname(file), { recursive: true });
      const { privateKey } = generateKeyPairSync('ed25519');
      try {
        // 'wx' fails if another process created the file meanwhile; then that process's key is the one to use.
        writeFileSync(file, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600, flag: 'wx' });
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      }
    }
    let key: KeyObject;
    try {
      key = createPrivateKey(readFileSync(file, 'utf8'));
    } catch (error) {
      throw new AuditKeyError(`${file} does not hold a private key: ${(error as Error).message}`);
    }
    if (key.asymmetricKeyType !== 'ed25519') throw new AuditKeyError(`${file} holds a ${key.asymmetricKeyType} key; the audit key is Ed25519`);
    return new AuditSigningKey(key);
  }

  /** An Ed25519 signature of `data`, base64. */
  sign(data: Buffer | string): string {
    return sign(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, this.privateKey).toString('base64');
  }
}

export function auditKeyFilePath(source: AuditKeySource): string {
  return path.resolve(source.auditKeyFile ?? path.join(source.dataDir, AUDIT_KEY_FILE));
}

export function publicKeyId(publicKeyPem: string): string {
  const der = createPublicKey(publicKeyPem).export({ type: 'spki', format: 'der' });
  return createHash('sha256').update(der).digest('hex').slice(0, 16);
}

/** Checks a signature made by `AuditSigningKey.sign` against the public key (PEM); false for any malformed input. */
export function verifyAuditSignature(publicKeyPem: string, data: Buffer | string, signature: string): boolean {
  try {
    return verify(null, typeof data === 'string' ? Buffer.from(data, 'utf8') : data, createPublicKey(publicKeyPem), Buffer.from(signature, 'base64'));
  } catch {
    return false;
  }
}
