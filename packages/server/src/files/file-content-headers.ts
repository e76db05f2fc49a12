import type { Readable } from 'node:stream';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { contentDisposition } from './content-disposition';

/** Stored bytes on their way out, with the entity tag that names them. */
export interface FileBytes {
  etag: string;
  stream: Readable;
}

/**
 * Uploaded content is shown under a policy of its own: a sandbox (no script, no same-origin rights, even for a
 * file a browser might misread), nothing loaded from elsewhere, and framable only by our own pages, for previews.
 */
const contentPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
/** Only the person's own browser may keep a copy, and it asks again each time, so revoked access takes effect. */
export const FILE_CACHE_CONTROL = 'private, no-cache';

/** The headers every answer carrying a file's bytes gets, whoever asked for it and why. */
export function fileContentHeaders(content: { name: string; mime: string; size: number }, disposition: 'inline' | 'attachment'): Record<string, string> {
  return {
    // Sniffed text is known to be UTF-8; saying so keeps a browser from guessing another encoding.
    'content-type': content.mime.startsWith('text/') ? `${content.mime}; charset=utf-8` : content.mime,
    'content-length': String(content.size),
    'content-disposition': contentDisposition(disposition, content.name),
    'content-security-policy': contentPolicy,
    'x-frame-options': 'SAMEORIGIN',
    'cache-control': FILE_CACHE_CONTROL,
  };
}

/**
 * The headers of a rendered view (an image preview, a PDF page): shown inline, under the same sandbox as content,
 * and with no file name, since it is a picture of the file rather than the file.
 */
export function renderedViewHeaders(view: { mime: string; bytes: Uint8Array }): Record<string, string> {
  return {
    'content-type': view.mime,
    'content-length': String(view.bytes.length),
    'content-disposition': 'inline',
    'content-security-policy': contentPolicy,
    'x-frame-options': 'SAMEORIGIN',
    'cache-control': FILE_CACHE_CONTROL,
  };
}

/** A stored file never changes, so its hash names its bytes (sent only with those bytes, to one who may have them). */
export function entityTag(sha256: string): string {
  return `"${sha256}"`;
}

/**
 * A thumbnail is made once and never changes either, so its file's id names it. Not the original's hash: a
 * thumbnail goes to view-only viewers too, and the hash would let them confirm which document they were shown.
 */
export function thumbnailTag(fileId: string): string {
  return `"thumbnail-${fileId}"`;
}

/**
 * The answer to a request for stored bytes, after the access check: the bytes with their headers, or, when the
 * browser's copy is the same (`If-None-Match` names the tag), 304 and no bytes. `no-cache` makes a browser ask every
 * time it shows a file, so this is what keeps an image in the timeline from being sent again on every render.
 */
export function answerWithBytes(request: FastifyRequest, reply: FastifyReply, bytes: FileBytes, headers: Record<string, string>): Readable | Uint8Array {
  void reply.headers({ ...headers, etag: bytes.etag });
  if (!namesTag(request.headers['if-none-match'], bytes.etag)) return bytes.stream;
  bytes.stream.destroy();
  void reply.removeHeader('content-length');
  void reply.status(304);
  return new Uint8Array();
}

/** If-None-Match compares weakly (RFC 9110 §13.1.2): a `W/` prefix does not matter, and `*` matches any. */
function namesTag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const candidate = tag.trim();
    return candidate === '*' || candidate.replace(/^W\//, '') === etag;
  });
}
