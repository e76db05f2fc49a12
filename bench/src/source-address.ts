import http from 'node:http';

/**
 * Enclave allows 30 sign-ins a minute from one address, which would make signing in thousands of bench users
 * take an hour. The whole 127.0.0.0/8 block is loopback on Linux, so each bench user gets a loopback source
 * address shared with few enough others to stay under that limit; nothing leaves the machine.
 */
export const USERS_PER_ADDRESS = 25;

/** The loopback source address of the n-th bench user (127.0.1.1, … 127.0.1.250, 127.0.2.1, …). */
export function sourceAddressOf(userIndex: number): string {
  const slot = Math.floor(userIndex / USERS_PER_ADDRESS);
  return `127.0.${1 + Math.floor(slot / 250)}.${1 + (slot % 250)}`;
}

const REQUEST_TIMEOUT_MS = 30_000;

/** A `fetch` for the SDK whose connections leave from the given local address (no keep-alive: one request each). */
export function fetchFromAddress(localAddress: string): typeof fetch {
  return (input, init) =>
    new Promise<Response>((resolve, reject) => {
      const request = http.request(
        String(input),
        { method: init?.method ?? 'GET', headers: init?.headers as Record<string, string> | undefined, localAddress, timeout: REQUEST_TIMEOUT_MS },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            const headers = new Headers();
            for (const [name, value] of Object.entries(response.headers)) if (typeof value === 'string') headers.set(name, value);
            resolve(new Response(Buffer.concat(chunks), { status: response.statusCode ?? 500, headers }));
          });
        },
      );
      request.on('timeout', () => request.destroy(new Error(`request to ${String(input)} timed out`)));
      request.on('error', reject);
      request.end(typeof init?.body === 'string' ? init.body : undefined);
    });
}
