import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { Transform, type Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { AppError } from '../http/app-error';
import { uploadError } from '../http/multipart-upload';

export interface ReceivedFile {
  size: number;
  /** SHA-256 of the content, hex. */
  sha256: string;
}

/**
 * Streams an upload into `target`, counting and hashing as the bytes pass, so no file is ever held in memory. The
 * first byte past `maxBytes` stops it (FILE_TOO_LARGE); a source that breaks off is UPLOAD_TRUNCATED. On failure
 * the caller removes `target`, which may hold a part.
 */
export async function receiveUpload(content: Readable, target: string, maxBytes: number): Promise<ReceivedFile> {
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
  // Created before the first byte arrives, so that whatever happens next, the caller's removal finds it.
  const file = await open(target, 'wx', 0o600);
  try {
    await pipeline(content, meter, file.createWriteStream());
  } catch (error) {
    // The request ending before the file did is the client's failure (UPLOAD_TRUNCATED); the disk failing is ours.
    throw uploadError(error);
  }
  return { size, sha256: hash.digest('hex') };
}
