import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, test } from 'node:test';
import { EnclaveApiError, EnclaveClient } from '@enclave/sdk';
import { nodeHttpFetch } from '../src/node-http-fetch';

let server: http.Server;
let baseUrl: string;
const seen: { method: string; url: string; authorization: string | undefined; body: string; socket: unknown }[] = [];

before(async () => {
  server = http.createServer((request, response) => {
    let body = '';
    request.on('data', (chunk: Buffer) => (body += chunk.toString()));
    request.on('end', () => {
      seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, body, socket: request.socket });
      if (request.url === '/api/v1/auth/me') {
        response.writeHead(401, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: { code: 'UNAUTHENTICATED', message: 'Sign in first.' } }));
      } else if (request.url === '/empty') {
        response.writeHead(204, { 'set-cookie': ['a=1', 'b=2'] });
        response.end();
      } else {
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ echoed: body === '' ? null : JSON.parse(body), query: request.url }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

after(() => new Promise<void>((resolve) => server.close(() => resolve())));

test('the SDK over nodeHttpFetch sends what it would send through fetch and reads answers and errors alike', async () => {
  const transport = nodeHttpFetch();
  const client = new EnclaveClient({ baseUrl, token: 'secret-token', fetch: transport });

  const page = (await client.endpoint('listMessages')({ params: { roomId: 'room 1' }, query: { limit: 50 } })) as unknown as { query: string };
  assert.equal(page.query, '/api/v1/rooms/room%201/messages?limit=50');
  const created = (await client.endpoint('createRoom')({ body: { kind: 'channel', name: 'ops', memberIds: [] } })) as unknown as { echoed: unknown };
  assert.deepEqual(created.echoed, { kind: 'channel', name: 'ops', memberIds: [] });
  await assert.rejects(client.endpoint('me')(), (error: unknown) => error instanceof EnclaveApiError && error.code === 'UNAUTHENTICATED' && error.status === 401);

  assert.deepEqual(
    seen.map(({ method, authorization }) => [method, authorization]),
    [
      ['GET', 'Bearer secret-token'],
      ['POST', 'Bearer secret-token'],
      ['GET', 'Bearer secret-token'],
    ],
  );
  assert.ok(seen.every((request) => request.socket === seen[0]!.socket), 'one kept-alive connection serves one request after another');

  const empty = await transport(`${baseUrl}/empty`);
  assert.equal(empty.status, 204);
  assert.equal(await empty.text(), '');
  assert.equal(empty.headers.getSetCookie().join('; '), 'a=1; b=2', 'repeated headers are all kept');

  // Bench users sign in from loopback addresses of their own.
  const fromAddress = new EnclaveClient({ baseUrl, fetch: nodeHttpFetch({ localAddress: '127.0.0.9' }) });
  await fromAddress.endpoint('listMessages')({ params: { roomId: 'r' } });
  await fromAddress.endpoint('listMessages')({ params: { roomId: 'r' } });
  assert.deepEqual(
    seen.slice(-2).map((request) => (request.socket as import('node:net').Socket).remoteAddress),
    ['127.0.0.9', '127.0.0.9'],
  );
});
