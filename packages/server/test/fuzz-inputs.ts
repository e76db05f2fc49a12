import { SESSION_COOKIE, type Endpoint } from '@enclave/protocol';
import type { z } from 'zod';
import { pick } from '@enclave/testkit';

export type Random = () => number;

/** One hostile request: everything after the actor's own credentials. */
export interface FuzzRequest {
  kind: string;
  method: string;
  path: string;
  headers: Record<string, string>;
  body?: string | Buffer;
}

/** Values of the wrong type, or of the right type but absurd, for any field. */
const wrongValues: unknown[] = [123, -1, 1e308, true, null, [], {}, '', ' ', 'x'.repeat(70_000), ['a', 1, null], { $gt: '' }, '\u0000', '🙂'.repeat(50), '2030-13-45T99:99:99Z'];

/** Path parameter values: missing things, too long, badly encoded, traversal, control characters. */
const badParams = ['no-such-id', 'x'.repeat(65), 'x'.repeat(3000), '%ff%fe', '%', '..%2F..%2Fetc%2Fpasswd', '%00', '%F0%9F%99%82', 'a%20b', '00000000-0000-0000-0000-000000000000', '-1', 'null'];

/** Query strings a form or a proxy would never send. */
const badQueries = ['?limit=-1&limit=2', '?%ff=1', '?a[b]=c&a[c]=d', '?limit=1e400', '?__proto__=x&constructor=y', '?q=' + 'x'.repeat(5000), '?before=&after=&around=', '?disposition=%00', '?extra=1'];

const badJson = ['{"a":', 'null', '[]', '"text"', '1e999999', '{"a":1}{"b":2}', '{"__proto__":{"admin":true}}', '{"constructor":{"prototype":{"admin":true}}}', '\ufeff{}'];

const wrongContentTypes = ['text/plain', 'application/xml', 'multipart/form-data', 'application/json; charset=utf-16', 'application/x-www-form-urlencoded', ''];

/** Credentials that are not ours: a forged, truncated or malformed cookie or bearer token. */
export function forgedCredentials(random: Random): Record<string, string> {
  return pick<Record<string, string>>(random, [
    { cookie: `${SESSION_COOKIE}=%ff%fe` },
    { cookie: `${SESSION_COOKIE}=${'A'.repeat(43)}` },
    { cookie: `${SESSION_COOKIE}="%`, authorization: 'Bearer' },
    { cookie: `a=b; ${SESSION_COOKIE}; ${SESSION_COOKIE}==; =x` },
    { authorization: 'Bearer %ff%fe' },
    { authorization: `Bearer ${'x'.repeat(8000)}` },
    { authorization: 'Basic YWRtaW46YWRtaW4=' },
    { authorization: 'Bearer \t ' },
  ]);
}

/** The declared keys of a request schema, looking through optional, default, refinement and transform wrappers. */
function keysOf(schema: z.ZodType | undefined): string[] {
  let current = schema?._zod.def as { type: string; shape?: Record<string, unknown>; innerType?: z.ZodType; in?: z.ZodType } | undefined;
  for (let depth = 0; current && depth < 10; depth += 1) {
    if (current.type === 'object') return Object.keys(current.shape ?? {});
    const next = current.innerType ?? current.in;
    current = next?._zod.def as typeof current;
  }
  return [];
}

/** JSON nested `depth` levels deep, built without recursion: arrays or objects. */
export function deepJson(depth: number, objects: boolean): string {
  return objects ? '{"a":'.repeat(depth) + '1' + '}'.repeat(depth) : '['.repeat(depth) + ']'.repeat(depth);
}

/** The kinds of attack, each a function of the endpoint and the generator. */
const kinds: Record<string, (endpoint: Endpoint, random: Random) => Pick<FuzzRequest, 'headers' | 'body'> & { query?: string }> = {
  'wrong types': (endpoint, random) => json(Object.fromEntries([...keysOf(endpoint.body), 'text'].map((key) => [key, pick(random, wrongValues)]))),
  'missing fields': () => json({}),
  'extra fields': (endpoint, random) => json({ ...Object.fromEntries(keysOf(endpoint.body).slice(0, 1).map((key) => [key, pick(random, wrongValues)])), urgent: true, sendAt: 0, isAdmin: true }),
  huge: () => json({ text: 'x'.repeat(300 * 1024) }),
  'deep arrays': () => raw('application/json', deepJson(10_000, false)),
  'deep objects': () => raw('application/json', `{"text":${deepJson(10_000, true)}}`),
  'invalid UTF-8': (_endpoint, random) => raw('application/json', Buffer.concat([Buffer.from('{"text":"'), Buffer.from(pick(random, [[0xff, 0xfe], [0xc0, 0x80], [0xed, 0xa0, 0x80], [0xe2, 0x82]])), Buffer.from('","name":"a"}')])),
  'malformed JSON': (_endpoint, random) => raw('application/json', pick(random, badJson)),
  'wrong content type': (_endpoint, random) => raw(pick(random, wrongContentTypes), 'text=hello&name=x'),
  'broken multipart': (_endpoint, random) =>
    raw(
      'multipart/form-data; boundary=XX',
      pick(random, ['--XX\r\nContent-Disposition: form-data; name="file"; filename="../../a.txt"\r\n\r\nhello\r\n--XX--\r\n', '--XX\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\nunfinished', '--XX\r\nContent-Disposition: form-data; name="label"\r\n\r\n' + 'l'.repeat(5000) + '\r\n--XX--\r\n', '']),
    ),
  'bad query': (_endpoint, random) => ({ headers: {}, query: pick(random, badQueries) }),
};
export const fuzzKinds = Object.keys(kinds);

/** A request of the given kind against an endpoint of the table, its path parameters replaced by hostile values. */
export function fuzzRequest(endpoint: Endpoint, kind: string, random: Random): FuzzRequest {
  const path = endpoint.path.replace(/:(\w+)/g, () => pick(random, badParams));
  const { headers, body, query } = kinds[kind]!(endpoint, random);
  const sendsBody = endpoint.method !== 'GET' && endpoint.method !== 'DELETE';
  return { kind, method: endpoint.method, path: path + (query ?? ''), headers: sendsBody ? headers : {}, ...(sendsBody && body !== undefined ? { body } : {}) };
}

function json(value: unknown): { headers: Record<string, string>; body: string | Buffer } {
  return raw('application/json', JSON.stringify(value));
}

function raw(contentType: string, body: string | Buffer): { headers: Record<string, string>; body: string | Buffer } {
  return { headers: contentType ? { 'content-type': contentType } : {}, body };
}

/** Signs of a stack trace or of the server's files in an answer. */
export const leakPatterns = [/\s{2}at \S/, /\/work\//, /node_modules/, /\.ts:\d/, /\.js:\d/];
