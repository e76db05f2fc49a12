import { createHash } from 'node:crypto';
import { Readable, Transform } from 'node:stream';
import { finished, pipeline } from 'node:stream/promises';
import { EXPORT_MANIFEST_PATH, EXPORT_PUBLIC_KEY_PATH, EXPORT_SIGNATURE_PATH, type ExportManifest, type ExportManifestEntry } from '@enclave/protocol';
import yazl from 'yazl';
import type { AuditSigningKey } from '../audit/audit-signing-key';

/**
 * A zip written as a stream, entry after entry, that keeps each entry's size and SHA-256 as the bytes pass and
 * ends with a manifest of them signed by the audit key. An entry is handed to the zip only when the one before it
 * has been read, so at most one entry's data is in flight whatever the export's size, and a slow reader slows the
 * export instead of filling memory.
 */
export class SignedZipWriter {
  readonly output: Readable;
  private readonly zip = new yazl.ZipFile();
  private readonly entries: ExportManifestEntry[] = [];
  private current: Transform | undefined;

  constructor(private readonly mtime: Date) {
    this.output = this.zip.outputStream as Readable;
  }

  /** Adds one entry and resolves once the zip has taken all of its bytes. */
  async add(path: string, content: Readable | AsyncIterable<string | Buffer> | string | Buffer): Promise<void> {
    const source = content instanceof Readable ? content : Readable.from(typeof content === 'string' || Buffer.isBuffer(content) ? [content] : content);
    const hash = createHash('sha256');
    let size = 0;
    const counting = new Transform({
      transform(chunk: Buffer | string, _encoding, done) {
        const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
        hash.update(bytes);
        size += bytes.length;
        done(null, bytes);
      },
    });
    this.current = counting;
    this.zip.addReadStream(counting, path, { mtime: this.mtime });
    await Promise.all([pipeline(source, counting), finished(counting)]);
    this.current = undefined;
    this.entries.push({ path, size, sha256: hash.digest('hex') });
  }

  /**
   * Writes manifest.json (every entry so far), its signature and the public key, then ends the zip. `beforeEnd`
   * runs with the manifest's SHA-256 before the zip's last bytes leave, so what it records (the audit entry) is
   * there for every complete export.
   */
  async finish(key: AuditSigningKey, manifest: Omit<ExportManifest, 'entries' | 'auditKeyId'>, beforeEnd: (manifestSha256: string) => Promise<void>): Promise<string> {
    const full: ExportManifest = { ...manifest, auditKeyId: key.keyId, entries: [...this.entries] };
    const bytes = Buffer.from(`${JSON.stringify(full, null, 2)}\n`, 'utf8');
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.zip.addBuffer(bytes, EXPORT_MANIFEST_PATH, { mtime: this.mtime });
    this.zip.addBuffer(Buffer.from(`${key.sign(bytes)}\n`, 'utf8'), EXPORT_SIGNATURE_PATH, { mtime: this.mtime });
    this.zip.addBuffer(Buffer.from(key.publicKeyPem, 'utf8'), EXPORT_PUBLIC_KEY_PATH, { mtime: this.mtime });
    await beforeEnd(sha256);
    this.zip.end();
    return sha256;
  }

  /** Stops a failed or abandoned export: the output ends in an error, never as a shorter zip that looks whole. */
  abort(error: Error): void {
    this.current?.destroy(error);
    this.output.destroy(error);
  }
}
