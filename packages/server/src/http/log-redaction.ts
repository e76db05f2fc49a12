import { endpoints } from '@enclave/protocol';
import type { FastifyRequest } from 'fastify';

const REDACTED = '[redacted]';

/**
 * Path parameters that are secrets: an invite code admits whoever holds it, and the server itself keeps only its
 * hash. Any endpoint that names a parameter like this is covered without further work.
 */
const secretParams = new Set(['code']);
/**
 * Query parameters that are secrets or content: the stream's session `token`, and a search's words (`q`), which
 * are the text of messages a person may read and would otherwise sit in the log in clear.
 */
const secretQuery = new Set(['token', 'q']);
/** The web client's landing page for an invite link carries the code too, outside the API's table. */
const webClientPaths = ['/invite/:code'];

const secretPaths = [...Object.values(endpoints).map((endpoint) => endpoint.path), ...webClientPaths]
  .map((path) => path.split('/'))
  .filter((segments) => segments.some((segment) => secretParams.has(segment.slice(1)) && segment.startsWith(':')));

/**
 * The request URL as it may be logged: secret path segments and query values replaced by `[redacted]`. A path is
 * matched by prefix, so a trailing slash or an extra segment (a 404) does not let a code through.
 */
export function redactUrl(url: string): string {
  const queryStart = url.indexOf('?');
  const path = queryStart === -1 ? url : url.slice(0, queryStart);
  const query = queryStart === -1 ? undefined : url.slice(queryStart + 1);
  return redactPath(path) + (query === undefined ? '' : `?${redactQuery(query)}`);
}

/** What a request line in the log says: Fastify's usual fields, with the URL redacted and the real client address. */
export function requestLogFields(request: FastifyRequest) {
  return {
    method: request.method,
    url: redactUrl(request.url),
    host: request.host,
    remoteAddress: request.ip,
    remotePort: request.socket?.remotePort,
  };
}

function redactPath(path: string): string {
  const parts = path.split('/');
  for (const pattern of secretPaths) {
    if (parts.length < pattern.length) continue;
    if (!pattern.every((segment, index) => segment.startsWith(':') || segment === parts[index])) continue;
    return parts.map((part, index) => (isSecret(pattern[index]) ? REDACTED : part)).join('/');
  }
  return path;
}

function isSecret(segment: string | undefined): boolean {
  return segment !== undefined && segment.startsWith(':') && secretParams.has(segment.slice(1));
}

function redactQuery(query: string): string {
  return query
    .split('&')
    .map((pair) => {
      const separator = pair.indexOf('=');
      const key = separator === -1 ? pair : pair.slice(0, separator);
      return secretQuery.has(decodedKey(key)) ? `${key}=${REDACTED}` : pair;
    })
    .join('&');
}

/** `%74oken` is still `token`; a key that is not valid percent-encoding is matched as written. */
function decodedKey(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}
