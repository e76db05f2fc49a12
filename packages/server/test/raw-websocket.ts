import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import { STREAM_PATH, type ServerFrame } from '@enclave/protocol';

/** WebSocket opcodes (RFC 6455 §5.2); 3 to 7 are reserved, which is what makes them hostile. */
export const opcodes = { text: 0x1, binary: 0x2, reserved: 0x3, close: 0x8, ping: 0x9, pong: 0xa } as const;

/**
 * Builds one client frame byte by byte, masked as a client's must be unless told otherwise, so a test can send
 * what no WebSocket library would: a reserved opcode, reserved bits, a frame past the limit, bytes that are not
 * UTF-8.
 */
export function clientFrame(opcode: number, payload: Buffer | string, options: { rsv1?: boolean; masked?: boolean } = {}): Buffer {
  const body = typeof payload === 'string' ? Buffer.from(payload) : payload;
  const masked = options.masked ?? true;
  const first = 0x80 | (options.rsv1 ? 0x40 : 0) | opcode;
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (body.length < 126) {
    header = Buffer.from([first, maskBit | body.length]);
  } else if (body.length < 65_536) {
    header = Buffer.from([first, maskBit | 126, 0, 0]);
    header.writeUInt16BE(body.length, 2);
  } else {
    header = Buffer.from([first, maskBit | 127, 0, 0, 0, 0, 0, 0, 0, 0]);
    header.writeBigUInt64BE(BigInt(body.length), 2);
  }
  if (!masked) return Buffer.concat([header, body]);
  const key = randomBytes(4);
  const maskedBody = Buffer.alloc(body.length);
  for (let i = 0; i < body.length; i += 1) maskedBody[i] = body[i]! ^ key[i % 4]!;
  return Buffer.concat([header, key, maskedBody]);
}

export interface RawStream {
  /** The server's text frames, parsed, in order. */
  frames: ServerFrame[];
  /** The payloads of the server's pongs, in order. */
  pongs: string[];
  /** The code of the server's close frame; 1006 when the connection ended without one. */
  closed: Promise<number>;
  send(...frames: Buffer[]): void;
  waitFor(predicate: () => boolean, what: string): Promise<void>;
  end(): void;
}

/**
 * Opens a stream over a plain TCP socket. `behindUpgrade` frames go out in the same write as the upgrade request,
 * so they reach the server before it can have checked any credentials.
 */
export function openRawStream(baseUrl: string, options: { token?: string | undefined; behindUpgrade?: Buffer[]; localAddress?: string; headers?: Record<string, string> } = {}): RawStream {
  const { hostname, port } = new URL(baseUrl);
  const socket = net.connect({ host: hostname, port: Number(port), ...(options.localAddress ? { localAddress: options.localAddress } : {}) });
  socket.on('error', () => undefined); // The server may reset a connection it refuses; `closed` reports what matters.
  const query = options.token ? `?token=${encodeURIComponent(options.token)}` : '';
  const request = [
    `GET ${STREAM_PATH}${query} HTTP/1.1`,
    `Host: ${hostname}:${port}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    ...Object.entries(options.headers ?? {}).map(([name, value]) => `${name}: ${value}`),
    '',
    '',
  ].join('\r\n');
  socket.write(Buffer.concat([Buffer.from(request), ...(options.behindUpgrade ?? [])]));

  const frames: ServerFrame[] = [];
  const pongs: string[] = [];
  let buffered = Buffer.alloc(0);
  let upgraded = false;
  let resolveClosed: (code: number) => void = () => undefined;
  const closed = new Promise<number>((resolve) => {
    resolveClosed = resolve;
  });
  socket.on('close', () => resolveClosed(1006));
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    if (!upgraded) {
      const end = buffered.indexOf('\r\n\r\n');
      if (end < 0) return;
      if (!buffered.subarray(0, end).toString().startsWith('HTTP/1.1 101')) return socket.destroy();
      upgraded = true;
      buffered = buffered.subarray(end + 4);
    }
    for (let frame = readServerFrame(buffered); frame; frame = readServerFrame(buffered)) {
      buffered = buffered.subarray(frame.length);
      if (frame.opcode === opcodes.text) frames.push(JSON.parse(frame.payload.toString()) as ServerFrame);
      if (frame.opcode === opcodes.pong) pongs.push(frame.payload.toString());
      if (frame.opcode === opcodes.close) {
        resolveClosed(frame.payload.length >= 2 ? frame.payload.readUInt16BE(0) : 1005);
        // Completes the closing handshake, as a client must, so the server lets go of the connection at once.
        socket.end(clientFrame(opcodes.close, frame.payload.subarray(0, 2)));
      }
    }
  });
  return {
    frames,
    pongs,
    closed,
    send: (...out) => socket.write(Buffer.concat(out)),
    waitFor: async (predicate, what) => {
      for (let i = 0; i < 500 && !predicate(); i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
      assert.ok(predicate(), `timed out waiting for ${what}; got ${JSON.stringify(frames)}`);
    },
    end: () => socket.end(clientFrame(opcodes.close, Buffer.from([0x03, 0xe8]))),
  };
}

/** One complete frame from the server (never masked) at the start of `data`, or undefined when more is needed. */
function readServerFrame(data: Buffer): { opcode: number; payload: Buffer; length: number } | undefined {
  if (data.length < 2) return undefined;
  const opcode = data[0]! & 0x0f;
  let length = data[1]! & 0x7f;
  let offset = 2;
  if (length === 126) {
    if (data.length < 4) return undefined;
    length = data.readUInt16BE(2);
    offset = 4;
  } else if (length === 127) {
    if (data.length < 10) return undefined;
    length = Number(data.readBigUInt64BE(2));
    offset = 10;
  }
  if (data.length < offset + length) return undefined;
  return { opcode, payload: data.subarray(offset, offset + length), length: offset + length };
}
