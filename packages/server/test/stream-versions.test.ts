import assert from 'node:assert/strict';
import { test } from 'node:test';
import { MIN_CLIENT_PROTOCOL_VERSION, PROTOCOL_VERSION, streamCloseCodes, type StreamIncompatibility } from '@enclave/protocol';
import type { SocketLike, StreamState } from '@enclave/sdk';
import { buildUser } from '@enclave/testkit';
import WebSocket from 'ws';
import { describeEachBackend } from './harness';

/** Connects with a raw socket naming a protocol version, and resolves with the close code and reason. */
function connectAs(url: string, token: string | undefined, protocolVersion: number): Promise<{ code: number; reason: string; frames: string[] }> {
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/v1/stream?token=${token}&protocolVersion=${protocolVersion}`);
  const frames: string[] = [];
  socket.on('message', (data) => frames.push(String(data)));
  return new Promise((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: reason.toString(), frames })));
}

/**
 * A real socket to the real server whose incoming frames pass through `rewrite` first: a stand-in for a server of
 * another version, to see what the SDK does with what it cannot read.
 */
function rewritingSocket(url: string, rewrite: (frame: string) => string, rewriteUrl: (url: string) => string = (same) => same): SocketLike {
  const socket = new WebSocket(rewriteUrl(url));
  const like = {
    get readyState() {
      return socket.readyState;
    },
    send: (data: string) => socket.send(data),
    close: (code?: number, reason?: string) => socket.close(code, reason),
    onmessage: null as ((event: { data: string }) => void) | null,
    onclose: null as ((event: { code: number; reason: string }) => void) | null,
    onerror: null as (() => void) | null,
  };
  socket.on('message', (data) => like.onmessage?.({ data: rewrite(String(data)) }));
  socket.on('close', (code, reason) => like.onclose?.({ code, reason: reason.toString() }));
  socket.on('error', () => like.onerror?.());
  return like as unknown as SocketLike;
}

describeEachBackend('stream protocol versions', (server) => {
  test('a client naming a protocol newer than the server speaks is closed as incompatible, saying why, before any frame', async () => {
    const alice = await buildUser(server());
    const answer = await connectAs(server().url, alice.client.currentToken, PROTOCOL_VERSION + 1);
    assert.deepEqual(answer, { code: streamCloseCodes.incompatibleProtocol, reason: 'client_too_new', frames: [] });
  });

  test('a client older than the oldest protocol the server speaks is closed as too old', async () => {
    const alice = await buildUser(server());
    const answer = await connectAs(server().url, alice.client.currentToken, MIN_CLIENT_PROTOCOL_VERSION - 1);
    assert.deepEqual(answer, { code: streamCloseCodes.incompatibleProtocol, reason: 'client_too_old', frames: [] });
  });

  test('a client of the current protocol is let in and told the server version', async () => {
    const alice = await buildUser(server());
    const socket = new WebSocket(`${server().url.replace('http', 'ws')}/api/v1/stream?token=${alice.client.currentToken}&protocolVersion=${PROTOCOL_VERSION}`);
    const hello = await new Promise<{ type: string; protocolVersion: number }>((resolve) => socket.once('message', (data) => resolve(JSON.parse(String(data)))));
    assert.deepEqual([hello.type, hello.protocolVersion], ['hello', PROTOCOL_VERSION]);
    socket.close();
  });

  for (const [reason, rewrite, rewriteUrl] of [
    ['client_too_new', (frame: string) => frame, (url: string) => url.replace(`protocolVersion=${PROTOCOL_VERSION}`, `protocolVersion=${PROTOCOL_VERSION + 1}`)],
    ['server_too_old', (frame: string) => frame.replace(`"protocolVersion":${PROTOCOL_VERSION}`, '"protocolVersion":0'), undefined],
    ['invalid_frame', (frame: string) => (frame.includes('"synced"') ? '{"type":"synced","position":"not a number"}' : frame), undefined],
  ] as const) {
    test(`the SDK stops for good and reports ${reason} instead of reconnecting`, async () => {
      const alice = await buildUser(server());
      const reasons: StreamIncompatibility[] = [];
      const states: StreamState[] = [];
      let sockets = 0;
      const stream = alice.client.stream({
        socketFactory: (url) => {
          sockets += 1;
          assert.match(url, new RegExp(`protocolVersion=${PROTOCOL_VERSION}\\b`), 'the SDK names its protocol');
          return rewritingSocket(url, rewrite, rewriteUrl);
        },
        minDelay: 10,
        maxDelay: 20,
        onIncompatible: (why) => reasons.push(why),
        onStateChange: (state) => states.push(state),
      });
      for (let i = 0; i < 1000 && reasons.length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 10));
      // Long enough for several reconnects at these delays, had the SDK tried again.
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(reasons, [reason]);
      assert.equal(stream.currentState, 'closed');
      assert.equal(sockets, 1, 'no reconnect after an incompatibility');
      assert.ok(!states.includes('live'), 'never live');
      stream.close();
    });
  }
});
