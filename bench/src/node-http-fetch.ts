import http from 'node:http';

const REQUEST_TIMEOUT_MS = 30_000;

/**
 * A `fetch` for the SDK that sends each request over node:http, optionally from a chosen loopback source address
 * (`localAddress`, for signing in many bench users). Node's global agent keeps connections alive (and closes them
 * after 5 s idle, so thousands of signed-in bench users leave no sockets behind). Node's built-in fetch (undici) is
 * itself a tail: against a bare node:http server answering 20 KB of JSON on this 2-core VM it measured p50 0.3 ms
 * but p99 3 to 6 ms, where node:http measured p99 under 1 ms once warm. A history page's target is 5 ms at p99, so
 * timing it through undici would time the load generator.
 *
 * It covers what the SDK's `call` sends (a method, headers and a string body) and answers with a standard
 * `Response`; anything else (a FormData upload) goes to the built-in fetch.
 */
export function nodeHttpFetch(options: { localAddress?: string } = {}): typeof fetch {
  return async (input, init = {}) => {
    if (init.body !== undefined && init.body !== null && typeof init.body !== 'string') return fetch(input, init);
    const url = input instanceof Request ? input.url : String(input);
    return new Promise<Response>((resolve, reject) => {
      const request = http.request(
        url,
        { localAddress: options.localAddress, method: init.method ?? 'GET', headers: Object.fromEntries(new Headers(init.headers)), timeout: REQUEST_TIMEOUT_MS },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => resolve(new Response(nullBodyStatus(response.statusCode) ? null : Buffer.concat(chunks), { status: response.statusCode!, headers: headersOf(response) })));
        },
      );
      request.on('timeout', () => request.destroy(new Error(`request to ${url} timed out`)));
      request.on('error', reject);
      request.end(init.body ?? undefined);
    });
  };
}

/** Statuses whose `Response` must have no body (the constructor throws otherwise). */
function nullBodyStatus(status: number | undefined): boolean {
  return status === 204 || status === 205 || status === 304;
}

function headersOf(response: http.IncomingMessage): Headers {
  const headers = new Headers();
  for (let i = 0; i < response.rawHeaders.length; i += 2) headers.append(response.rawHeaders[i]!, response.rawHeaders[i + 1]!);
  return headers;
}
