import type { Readable } from 'node:stream';
import { FILE_SIZE_CEILING, FileName, LabelId } from '@enclave/protocol';
import type { Multipart } from '@fastify/multipart';
import type { FastifyRequest } from 'fastify';
import { AppError } from './app-error';

/** One uploaded file as it arrives: the fields before it are read and checked, its bytes not yet. */
export interface FileUpload {
  label: string | undefined;
  name: string;
  /** The file's bytes; an error on it means the request broke off (UPLOAD_TRUNCATED). */
  content: Readable;
  /**
   * Reads the request to its end once `content` has been consumed, so an upload whose multipart body never
   * closes (UPLOAD_TRUNCATED), or that names its label only after the file, is refused instead of stored.
   */
  finish(): Promise<void>;
}

/**
 * Busboy keeps directory parts of a file name only with `preservePath`: without it `../x` would silently become
 * `x`, and names are refused (FILE_NAME_INVALID), never cleaned. The size limit here is only the ceiling no policy
 * can pass; the service counts the bytes against the organisation's own limit.
 */
const multipartOptions = {
  preservePath: true,
  limits: { files: 1, fields: 4, parts: 8, fieldSize: 1024, headerPairs: 20, fileSize: FILE_SIZE_CEILING },
  throwFileSizeLimit: false,
};

/**
 * Reads a multipart upload (optional field `label`, then the file in field `file`) up to the file's first byte.
 * Like endpoint-route.ts for JSON bodies, this is where an upload's input is validated; a refusal here leaves
 * nothing behind, since no byte of the file has been kept.
 */
export async function readFileUpload(request: FastifyRequest): Promise<FileUpload> {
  const parts = request.parts(multipartOptions)[Symbol.asyncIterator]();
  let label: string | undefined;
  for (;;) {
    const part = await nextPart(parts);
    if (part === undefined) throw invalid('file', 'the upload has no file in field `file`');
    if (part.type === 'field') {
      if (part.fieldname === 'label') label = parseLabel(part.value);
      continue;
    }
    const name = FileName.safeParse(part.filename);
    if (part.fieldname !== 'file' || !name.success) {
      part.file.resume();
      if (part.fieldname !== 'file') throw invalid('file', 'the file must be in field `file`');
      throw new AppError('FILE_NAME_INVALID');
    }
    return { label, name: name.data, content: part.file, finish: () => readToEnd(parts) };
  }
}

/**
 * The multipart parser's failures, from the parts or from the file's stream, as our stable codes: a request that
 * ends or breaks off early is UPLOAD_TRUNCATED. Anything else (a full disk) stays as it is and becomes INTERNAL.
 */
export function uploadError(error: unknown): unknown {
  if (error instanceof AppError) return error;
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : '';
  const brokenOff = code === 'FST_MP_PREMATURE_CLOSE' || code === 'ECONNRESET' || message === 'aborted' || /unexpected end of multipart data/i.test(message);
  if (brokenOff) return new AppError('UPLOAD_TRUNCATED');
  if (code === 'FST_INVALID_MULTIPART_CONTENT_TYPE') return new AppError('UNSUPPORTED_MEDIA_TYPE');
  if (code === 'FST_FILES_LIMIT') return invalid('file', 'one file per upload');
  if (code === 'FST_PARTS_LIMIT' || code === 'FST_FIELDS_LIMIT' || code === 'FST_PROTO_VIOLATION') return invalid('', 'unexpected form fields');
  if (/boundary not found/i.test(message)) return invalid('content-type', 'multipart without a boundary');
  return error;
}

type Parts = AsyncIterator<Multipart>;

/**
 * Other fields after the file carry nothing we use, and a second file is refused by busboy's `files` limit. A label
 * after the file is refused rather than ignored: the file would otherwise be kept under a lower label than asked.
 */
async function readToEnd(parts: Parts): Promise<void> {
  for (let part = await nextPart(parts); part !== undefined; part = await nextPart(parts)) {
    if (part.type === 'field' && part.fieldname === 'label') throw invalid('label', 'the label must come before the file');
  }
}

async function nextPart(parts: Parts): Promise<Multipart | undefined> {
  try {
    const { value, done } = await parts.next();
    return done ? undefined : value;
  } catch (error) {
    throw uploadError(error);
  }
}

function parseLabel(value: unknown): string {
  const label = LabelId.safeParse(value);
  if (!label.success) throw invalid('label', 'not a label id');
  return label.data;
}

function invalid(path: string, message: string): AppError {
  return new AppError('VALIDATION_FAILED', { issues: [{ path, message }] });
}
