import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { SESSION_COOKIE } from '@enclave/protocol';
import WebSocket from 'ws';
import { clientOrigin, trustedProxiesOf } from '../src/http/client-address';
import { loadConfig } from '../src/index';
import { rawExchange, startEdgeServer, type EdgeServer } from './edge-server';
import { describeEachBackend } from './harness';
import { buildRoomOfTwo } from '@enclave/testkit';

type ErrorAnswer = { error: { code: string; message: string; data?: { issues?: { path: string; message: string; keys?: string[] }[] } } };

async function errorOf(response: Response): Promise<ErrorAnswer['error']> {
  return ((await response.json()) as ErrorAnswer).error;
}

function jsonRequest(method: string, body: unknown, token?: string, headers: Record<string, string> = {}): RequestInit {
  return {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    body: JSON.stringify(body),
  };
}

describeEachBackend('the HTTP edge', (server) => {
  test('treats a session cookie that is not valid percent-encoding as no cookie at all', async () => {
    for (const cookie of [`${SESSION_COOKIE}=%ff%fe`, `${SESSION_COOKIE}=%`, `${SESSION_COOKIE}="%E0%A4%A"`, `${SESSION_COOKIE}=`]) {
      const me = await fetch(`${server().url}/api/v1/auth/me`, { headers: { cookie } });
      assert.equal(me.status, 401, cookie);
      assert.equal((await errorOf(me)).code, 'UNAUTHENTICATED');
    }
  });

  test('answers a malformed cookie on an endpoint open to the anonymous as an anonymous caller', async () => {
    const response = await fetch(`${server().url}/api/v1/invites/no-such-code`, { headers: { cookie: `${SESSION_COOKIE}=%ff%fe` } });
    assert.equal(response.status, 404);
    assert.equal((await errorOf(response)).code, 'INVITE_NOT_FOUND');
  });

  test('treats a bearer token that is not one of ours as absent', async () => {
    for (const authorization of ['Bearer %ff%fe', 'Bearer ' + 'x'.repeat(10_000), 'Bearer', 'Basic abc']) {
      const me = await fetch(`${server().url}/api/v1/auth/me`, { headers: { authorization } });
      assert.equal(me.status, 401, authorization.slice(0, 20));
      assert.equal((await errorOf(me)).code, 'UNAUTHENTICATED');
    }
  });

  test('refuses a NUL character in an id, a query or a body as invalid, on PostgreSQL as on SQLite', async () => {
    // Fuzz seeds 11 and 2026 found GET /api/v1/rooms/%00 (and every other id in a path) answering 500 on
    // PostgreSQL, whose text type cannot hold U+0000, while SQLite answered 404.
    const { alice, room } = await buildRoomOfTwo(server());
    const token = alice.client.currentToken;
    const attempts = [
      fetch(`${server().url}/api/v1/rooms/%00/members`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${server().url}/api/v1/rooms/${room.id}/messages?before=a%00b`, { headers: { authorization: `Bearer ${token}` } }),
      fetch(`${server().url}/api/v1/rooms/${room.id}/messages`, jsonRequest('POST', { text: 'a\u0000b' }, token)),
    ];
    for (const response of await Promise.all(attempts)) {
      assert.equal(response.status, 400);
      const error = await errorOf(response);
      assert.equal(error.code, 'VALIDATION_FAILED');
      assert.equal(error.data?.issues?.[0]?.message, 'must not contain the NUL character');
    }
  });

  test('refuses a send with fields the server does not know, naming them, and stores nothing', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const db = server().running.database.db;
    const count = async () => Number((await db.selectFrom('messages').select((eb) => eb.fn.countAll().as('n')).where('room_id', '=', room.id).executeTakeFirstOrThrow()).n);
    const before = await count();
    const response = await fetch(`${server().url}/api/v1/rooms/${room.id}/messages`, jsonRequest('POST', { text: 'hello', sendAt: '2030-01-01T00:00:00Z', priority: 'high' }, alice.client.currentToken));
    assert.equal(response.status, 400);
    const error = await errorOf(response);
    assert.equal(error.code, 'VALIDATION_FAILED');
    // A later send is a scheduled message (its own resource), so `sendAt` on a send is refused like any unknown field.
    assert.deepEqual(error.data?.issues?.[0]?.keys, ['sendAt', 'priority']);
    assert.match(error.data?.issues?.[0]?.message ?? '', /sendAt.*priority/);
    assert.equal(await count(), before);
  });

  test('refuses unknown fields inside nested objects, in query strings and where an endpoint takes no body', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const token = alice.client.currentToken;
    const nested = await fetch(`${server().url}/api/v1/rooms/${room.id}/messages`, jsonRequest('POST', { text: 'hi', restrictions: { noCopy: true, noPrint: true } }, token));
    const nestedError = await errorOf(nested);
    assert.equal(nestedError.code, 'VALIDATION_FAILED');
    assert.deepEqual(nestedError.data?.issues?.[0], { path: 'restrictions', message: 'Unrecognized key: "noPrint"', keys: ['noPrint'] });
    const query = await fetch(`${server().url}/api/v1/rooms/${room.id}/messages?limit=5&newestFirst=1`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(query.status, 400);
    assert.deepEqual((await errorOf(query)).data?.issues?.[0]?.keys, ['newestFirst']);
    const queryWithoutSchema = await fetch(`${server().url}/api/v1/auth/me?debug=1`, { headers: { authorization: `Bearer ${token}` } });
    assert.equal(queryWithoutSchema.status, 400);
    const bodyWithoutSchema = await fetch(`${server().url}/api/v1/auth/logout`, jsonRequest('POST', { everywhere: true }, token));
    assert.equal(bodyWithoutSchema.status, 400);
    assert.deepEqual((await errorOf(bodyWithoutSchema)).data?.issues?.[0]?.keys, ['everywhere']);
    assert.equal((await fetch(`${server().url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } })).status, 200, 'the refused logout did not sign out');
  });

  test('refuses a stream frame with a field the server does not know, with an error frame naming it', async () => {
    const { alice, room } = await buildRoomOfTwo(server());
    const socket = new WebSocket(`${server().url.replace('http', 'ws')}/api/v1/stream?token=${alice.client.currentToken}`);
    const frames: { type: string; clientId?: string; error?: ErrorAnswer['error'] }[] = [];
    const errorFrame = new Promise<(typeof frames)[number]>((resolve, reject) => {
      socket.on('message', (data) => {
        const frame = JSON.parse(String(data)) as (typeof frames)[number];
        frames.push(frame);
        if (frame.type === 'synced') socket.send(JSON.stringify({ type: 'message.send', roomId: room.id, text: 'hi', clientId: 'c-1', sendAt: 0 }));
        if (frame.type === 'error' || frame.type === 'message.ack') resolve(frame);
      });
      socket.on('error', reject);
    });
    const answer = await errorFrame;
    socket.close();
    assert.equal(answer.type, 'error');
    assert.equal(answer.clientId, 'c-1');
    assert.equal(answer.error?.code, 'VALIDATION_FAILED');
    assert.deepEqual(answer.error?.data?.issues?.[0]?.keys, ['sendAt']);
  });

  test('refuses a stream connection whose query has a parameter the server does not know', async () => {
    const { alice } = await buildRoomOfTwo(server());
    const socket = new WebSocket(`${server().url.replace('http', 'ws')}/api/v1/stream?token=${alice.client.currentToken}&compress=1`);
    const frames: string[] = [];
    socket.on('message', (data) => frames.push(String(data)));
    const code = await new Promise<number>((resolve) => socket.on('close', resolve));
    assert.equal(code, 4400);
    assert.deepEqual(frames, [], 'the refused connection was never greeted');
  });
});

describe('the HTTP edge, configured', () => {
  test('refuses a trusted proxy list with an entry that is not an address or CIDR, naming the variable', () => {
    assert.throws(() => loadConfig({ ENCLAVE_TRUST_PROXY: '10.0.0.0/8, proxy.internal' }), /ENCLAVE_TRUST_PROXY: not an IP address or CIDR: proxy\.internal/);
    assert.throws(() => loadConfig({ ENCLAVE_TRUST_PROXY: '10.0.0.0/33' }), /ENCLAVE_TRUST_PROXY/);
    assert.deepEqual(loadConfig({ ENCLAVE_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1,::1' }).trustProxy, ['10.0.0.0/8', '127.0.0.1', '::1']);
    assert.deepEqual(loadConfig({}).trustProxy, []);
  });

  test('refuses timeouts out of range, naming the variable', () => {
    assert.throws(() => loadConfig({ ENCLAVE_HEADERS_TIMEOUT_MS: '10' }), /ENCLAVE_HEADERS_TIMEOUT_MS/);
    assert.throws(() => loadConfig({ ENCLAVE_REQUEST_TIMEOUT_MS: '5000' }), /ENCLAVE_REQUEST_TIMEOUT_MS: must be 0 \(off\) or at least 60000/);
    assert.equal(loadConfig({ ENCLAVE_REQUEST_TIMEOUT_MS: '0' }).requestTimeoutMs, 0);
  });

  test('the raw-request function reads the client address and protocol by the same trust rules', async () => {
    const seen: ReturnType<typeof clientOrigin>[] = [];
    const lists = [['127.0.0.1'], ['10.0.0.1'], []];
    const probe = http.createServer((request, response) => {
      for (const list of lists) seen.push(clientOrigin(request, trustedProxiesOf(list)));
      response.end();
    });
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const { port } = probe.address() as { port: number };
    await fetch(`http://127.0.0.1:${port}/`, { headers: { 'x-forwarded-for': '198.51.100.9, 198.51.100.7', 'x-forwarded-proto': 'https' } });
    await new Promise((resolve) => probe.close(resolve));
    assert.deepEqual(seen, [
      { address: '198.51.100.7', protocol: 'https' },
      { address: '127.0.0.1', protocol: 'http' },
      { address: '127.0.0.1', protocol: 'http' },
    ]);
  });

  describe('behind a trusted proxy', () => {
    let edge: EdgeServer;
    before(async () => {
      edge = await startEdgeServer({ trustProxy: ['127.0.0.1'], loginAttemptsPerMinute: 2 });
    });
    after(async () => edge.close());

    test('makes the session cookie Secure and sends HSTS when the proxy says the client came over https', async () => {
      const user = await buildUserOn(edge);
      const login = await fetch(`${edge.url}/api/v1/auth/login`, jsonRequest('POST', { username: user.username, password: user.password, useCookie: true }, undefined, { 'x-forwarded-proto': 'https', 'x-forwarded-for': '198.51.100.20' }));
      assert.equal(login.status, 200);
      assert.match(login.headers.get('set-cookie') ?? '', /; Secure/);
      assert.equal(login.headers.get('strict-transport-security'), 'max-age=31536000');
      const plain = await fetch(`${edge.url}/healthz`);
      assert.equal(plain.headers.get('strict-transport-security'), null);
    });

    test('throttles sign-ins by the address the proxy names, not by the proxy', async () => {
      const attempt = (address: string, username: string) =>
        fetch(`${edge.url}/api/v1/auth/login`, jsonRequest('POST', { username, password: 'wrong password' }, undefined, { 'x-forwarded-for': address }));
      assert.equal((await attempt('203.0.113.1', 'nobody-1')).status, 401);
      assert.equal((await attempt('203.0.113.1', 'nobody-2')).status, 401);
      assert.equal((await attempt('203.0.113.1', 'nobody-3')).status, 429);
      assert.equal((await attempt('203.0.113.2', 'nobody-4')).status, 401, 'another client behind the same proxy is not limited');
    });
  });

  describe('reached directly, trusting no proxy', () => {
    let edge: EdgeServer;
    before(async () => {
      // The admin's and the user's own sign-ins count too: two of the four.
      edge = await startEdgeServer({ loginAttemptsPerMinute: 4 });
    });
    after(async () => edge.close());

    test('ignores forwarding headers a client sends itself', async () => {
      const user = await buildUserOn(edge);
      const login = await fetch(`${edge.url}/api/v1/auth/login`, jsonRequest('POST', { username: user.username, password: user.password, useCookie: true }, undefined, { 'x-forwarded-proto': 'https' }));
      assert.equal(login.status, 200);
      assert.doesNotMatch(login.headers.get('set-cookie') ?? '', /Secure/);
      assert.equal(login.headers.get('strict-transport-security'), null);
      const attempt = (address: string, username: string) =>
        fetch(`${edge.url}/api/v1/auth/login`, jsonRequest('POST', { username, password: 'wrong password' }, undefined, { 'x-forwarded-for': address }));
      assert.equal((await attempt('203.0.113.1', 'nobody-1')).status, 401);
      assert.equal((await attempt('203.0.113.2', 'nobody-2')).status, 401);
      assert.equal((await attempt('203.0.113.3', 'nobody-3')).status, 429, 'a made-up address does not escape the limit');
    });
  });

  describe('with short timeouts', () => {
    let edge: EdgeServer;
    before(async () => {
      // The idle timeout is longer, as by default, so that the headers timeout is the one that answers.
      edge = await startEdgeServer({ headersTimeoutMs: 1000, idleTimeoutMs: 3000 });
    });
    after(async () => edge.close());

    test('answers REQUEST_TIMEOUT and closes a connection whose headers never finish', async () => {
      const answer = await rawExchange(edge.port, (socket) => socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: '));
      assert.match(answer, /^HTTP\/1\.1 408 /);
      assert.match(answer, /"code":"REQUEST_TIMEOUT"/);
    });

    test('closes a connection that sends nothing at all', async () => {
      const answer = await rawExchange(edge.port, () => undefined);
      assert.doesNotMatch(answer, /HTTP\/1\.1 [25]/);
    });

    test('closes a connection whose body stalls, leaving the server answering others', async () => {
      const answer = await rawExchange(edge.port, (socket) =>
        socket.write('POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"username":'),
      );
      assert.doesNotMatch(answer, /HTTP\/1\.1 [25]/);
      assert.equal((await fetch(`${edge.url}/healthz`)).status, 200);
    });

    test('lets a slow but steady body through, since only silence counts against it', async () => {
      const body = JSON.stringify({ username: 'nobody-slow', password: 'wrong password' });
      const answer = await rawExchange(edge.port, (socket) => {
        socket.write(`POST /api/v1/auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nConnection: close\r\nContent-Length: ${body.length}\r\n\r\n`);
        const pieces = [body.slice(0, 10), body.slice(10, 20), body.slice(20, 30), body.slice(30)];
        void (async () => {
          for (const piece of pieces) {
            await sleep(1200);
            socket.write(piece);
          }
        })();
      });
      assert.match(answer, /^HTTP\/1\.1 401 /);
      assert.match(answer, /INVALID_CREDENTIALS/);
    });

    test('answers a malformed request with MALFORMED_REQUEST and closes', async () => {
      for (const request of ['NOT HTTP AT ALL\r\n\r\n', 'GET / HTTP/1.1\r\nHost: x\r\nBad Header\r\n\r\n', 'GET /\x00 HTTP/1.1\r\n\r\n']) {
        const answer = await rawExchange(edge.port, (socket) => socket.write(request));
        assert.match(answer, /^HTTP\/1\.1 400 /, JSON.stringify(request));
        assert.match(answer, /"code":"MALFORMED_REQUEST"/);
      }
      assert.equal((await fetch(`${edge.url}/healthz`)).status, 200);
    });

    test('answers headers beyond the limit with HEADERS_TOO_LARGE', async () => {
      const answer = await rawExchange(edge.port, (socket) => socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`));
      assert.match(answer, /^HTTP\/1\.1 431 /);
      assert.match(answer, /"code":"HEADERS_TOO_LARGE"/);
    });

    test('keeps a quiet stream open beyond the idle timeout', async () => {
      const token = edge.admin.currentToken;
      const socket = new WebSocket(`${edge.url.replace('http', 'ws')}/api/v1/stream?token=${token}`);
      const frames: { type: string; error?: { code: string } }[] = [];
      let closed = false;
      socket.on('close', () => (closed = true));
      socket.on('message', (data) => frames.push(JSON.parse(String(data)) as (typeof frames)[number]));
      await new Promise((resolve) => socket.once('open', resolve));
      await sleep(4000);
      assert.equal(closed, false);
      socket.send(JSON.stringify({ type: 'typing', roomId: 'no-such-room' }));
      while (!frames.some((frame) => frame.type === 'error')) await sleep(20);
      assert.equal(frames.find((frame) => frame.type === 'error')?.error?.code, 'ROOM_NOT_FOUND');
      socket.close();
    });
  });

  describe('serving the web client and logging', () => {
    let edge: EdgeServer;
    let webRoot: string;
    before(async () => {
      webRoot = mkdtempSync(path.join(tmpdir(), 'enclave-web-'));
      mkdirSync(path.join(webRoot, 'assets'));
      writeFileSync(path.join(webRoot, 'index.html'), '<!doctype html><title>Enclave</title>');
      writeFileSync(path.join(webRoot, 'assets', 'app-1234.js'), 'console.log(1)');
      edge = await startEdgeServer({ webRoot });
    });
    after(async () => {
      await edge.close();
      rmSync(webRoot, { recursive: true, force: true });
    });

    test('answers 404 for an unknown path with a file extension, and the page for client routes', async () => {
      for (const missing of ['/anything.js', '/assets/old-bundle.css', '/rooms/abc/favicon.ico']) {
        const response = await fetch(`${edge.url}${missing}`);
        assert.equal(response.status, 404, missing);
        assert.doesNotMatch(await response.text(), /<title>Enclave/);
      }
      for (const route of ['/rooms/abc', '/invite/Xy_z-1', '/admin']) {
        const response = await fetch(`${edge.url}${route}`);
        assert.equal(response.status, 200, route);
        assert.match(await response.text(), /<title>Enclave/);
      }
      assert.equal(await (await fetch(`${edge.url}/assets/app-1234.js`)).text(), 'console.log(1)');
    });

    test('keeps invite codes, stream tokens and search words out of the log', async () => {
      const { invite } = await edge.admin.endpoint('createInvite')({ body: {} });
      const token = edge.admin.currentToken!;
      const secretWord = 'zebra-umbrella-42';
      const visits = [
        `/api/v1/invites/${invite.code}`,
        `/api/v1/invites/${invite.code}/qr.svg`,
        `/api/v1/invites/${invite.code}/qr.png`,
        `/api/v1/invites/${invite.code}/nothing-here`,
        `/invite/${invite.code}`,
        `/api/v1/stream?after=0&token=${token}`,
        `/api/v1/search?q=${secretWord}`,
      ];
      for (const visit of visits) await fetch(`${edge.url}${visit}`, { headers: { authorization: `Bearer ${token}` } });
      await fetch(`${edge.url}/api/v1/invites/${invite.code}/accept`, jsonRequest('POST', { username: 'x' }));
      const socket = new WebSocket(`${edge.url.replace('http', 'ws')}/api/v1/stream?token=${token}`);
      await new Promise((resolve) => socket.once('message', resolve));
      socket.close();
      const log = edge.log.join('');
      assert.match(log, /\/api\/v1\/invites\/\[redacted\]\/qr\.svg/, 'the requests were logged');
      assert.match(log, /\/invite\/\[redacted\]/);
      assert.match(log, /token=\[redacted\]/);
      assert.match(log, /q=\[redacted\]/);
      assert.ok(!log.includes(invite.code), 'an invite code is in the log');
      assert.ok(!log.includes(token), 'a session token is in the log');
      assert.ok(!log.includes(secretWord), 'a search word is in the log');
    });
  });
});

let edgeUsers = 0;

async function buildUserOn(edge: EdgeServer): Promise<{ username: string; password: string }> {
  edgeUsers += 1;
  const username = `edge-user-${edgeUsers}`;
  const password = 'correct horse battery';
  await edge.admin.endpoint('createUser')({ body: { username, password, displayName: username, role: 'member' } });
  return { username, password };
}
