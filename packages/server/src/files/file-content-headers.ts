import { contentDisposition } from './content-disposition';

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
