import { createHash } from 'node:crypto';
import { Transform, type Readable } from 'node:stream';
import { AppError } from '../http/app-error';
import { uploadError } from '../http/multipart-upload';
import type { FileStore } from './file-store';
import type { SealedIdentity } from './sealed-file-format';

export interface ReceivedFile {
  size: number;
  /** SHA-256 of the content, hex. */
  sha256: string;
}

/**
 * Streams an upload into the temp file `target`, counting and hashing as the bytes pass and sealing them under
 * `identity` before they reach the disk, so no file is ever held in memory nor written plain. The first byte past
 * `maxBytes` stops it (FILE_TOO_LARGE); a source that breaks off is UPLOAD_TRUNCATED. On failure the caller removes
 * `target`, which may hold a part.
 */
export async function receiveUpload(content: Readable, store: FileStore, target: { path: string; identity: SealedIdentity | null }, maxBytes: number): Promise<ReceivedFile> {
  const hash = createHash('sha256');
  let size = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding, done) {
      size += chunk.length;
      if (size > maxBytes) return done(new AppError('FILE_TOO_LARGE', { maxBytes }));
      hash.update(chunk);
      done(null, chunk);
    },
  });
  try {
    await store.writeTemp(target.path, target.identity, [content, meter]);
  } catch (error) {
    // The request ending before the file did is the client's failure (UPLOAD_TRUNCATED); the disk failing is ours.
    throw uploadError(error);
  }
  return { size, sha256: hash.digest('hex') };
}
