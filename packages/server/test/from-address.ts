import { request } from 'node:http';
import type { TestServer } from './harness';

export interface RawAnswer {
  status: number;
  body: { error?: { code: string; message: string; data?: Record<string, unknown> } } & Record<string, unknown>;
}

/**
 * Calls the API over plain HTTP from a chosen loopback address. Every 127.x.y.z address reaches the server on
 * Linux, and the server sees each as a different client, so one test can play the victim's machine and many
 * attackers' machines without trusting any forwarding header.
 */
export function requestFrom(server: TestServer, address: string, method: string, path: string, body?: unknown, token?: string): Promise<RawAnswer> {
  const url = new URL(path, server.url);
  const payload = body === undefined ? undefined : JSON.stringify(body);
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        host: url.hostname,
        port: url.port,
        path: url.pathname,
        method,
        localAddress: address,
        headers: {
          ...(payload !== undefined ? { 'content-type': 'application/json', 'content-length': Buffer.byteLength(payload) } : {}),
          ...(token ? { authorization: `Bearer ${token}` } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') }));
        response.on('error', reject);
      },
    );
    outgoing.on('error', reject);
    outgoing.end(payload);
  });
}

/** One sign-in attempt from `address`. */
export function signInFrom(server: TestServer, address: string, username: string, password: string): Promise<RawAnswer> {
  return requestFrom(server, address, 'POST', '/api/v1/auth/login', { username, password });
}

/**
 * Guesses wrong passwords from `address` until the throttle answers RATE_LIMITED, and answers every answer seen.
 * The throttle's first waits are short, so a slow machine may see a try or two more pass first; the loop
 * tolerates that, and fails only if the throttle never steps in.
 */
export async function guessUntilHeldBack(server: TestServer, address: string, username: string, maxTries = 30): Promise<RawAnswer[]> {
  const answers: RawAnswer[] = [];
  for (let i = 0; i < maxTries; i += 1) {
    const answer = await signInFrom(server, address, username, `wrong guess ${i}`);
    answers.push(answer);
    if (answer.status === 429) return answers;
  }
  throw new Error(`the throttle never held ${address} back after ${maxTries} wrong guesses for ${username}`);
}
