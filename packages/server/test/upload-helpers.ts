import { readdirSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { FileInfo } from '@enclave/protocol';
import type { EnclaveClient } from '@enclave/sdk';
import { sql } from 'kysely';
import sharp from 'sharp';
import type { TestServer } from './harness';

/** Where the test server keeps uploads: the default, `files` in its data directory. */
export function filesDir(server: TestServer): string {
  return path.join(server.storageConfig.dataDir, 'files');
}

/** Every file under the files directory (temp files included), as paths relative to it, sorted. */
export function storedFiles(server: TestServer): string[] {
  const root = filesDir(server);
  const found: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else found.push(path.relative(root, full));
    }
  };
  try {
    walk(root);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  return found.sort();
}

/** How many file rows storage holds, read straight from the database of either backend. */
export async function fileRowCount(server: TestServer): Promise<number> {
  const { rows } = await sql<{ n: number | string }>`SELECT count(*) AS n FROM files`.execute(server.running.database.db);
  return Number(rows[0]!.n);
}

/** What is stored now: the state a refused upload must leave exactly as it found. */
export async function storageSnapshot(server: TestServer): Promise<{ rows: number; files: string[] }> {
  return { rows: await fileRowCount(server), files: storedFiles(server) };
}

/** Uploads through the SDK, as the web client does; `type` is the uploader's claim, which the server ignores. */
export async function upload(client: EnclaveClient, roomId: string, content: Uint8Array | string, name: string, options: { label?: string; type?: string } = {}): Promise<FileInfo> {
  const blob = new Blob([typeof content === 'string' ? content : Buffer.from(content)], { type: options.type ?? 'application/octet-stream' });
  return (await client.uploadFile(roomId, blob, { name, ...(options.label ? { label: options.label } : {}) })).file;
}

export async function pngImage(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 40, b: 40 } } })
    .png()
    .toBuffer();
}

/** A JPEG stored sideways with an EXIF orientation that says to turn it upright (6: rotate 90° clockwise). */
export async function sidewaysJpeg(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 20, g: 90, b: 200 } } })
    .jpeg()
    .withMetadata({ orientation: 6 })
    .toBuffer();
}

export interface RawPart {
  name: string;
  /** The header's raw filename parameter, exactly as written between the quotes (or a whole `filename*=` value). */
  filename?: string;
  filenameStar?: string;
  content: Buffer | string;
}

const BOUNDARY = 'enclave-test-boundary';

/** A multipart body written by hand, so a test can send what no well-behaved client would. */
export function multipartBody(parts: RawPart[], options: { close?: boolean } = {}): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const filename = part.filenameStar !== undefined ? `; filename*=${part.filenameStar}` : part.filename !== undefined ? `; filename="${part.filename}"` : '';
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.name}"${filename}\r\n\r\n`, 'latin1'));
    chunks.push(Buffer.isBuffer(part.content) ? part.content : Buffer.from(part.content));
    chunks.push(Buffer.from('\r\n'));
  }
  if (options.close !== false) chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** A request to the upload endpoint over a bare socket; `body` may stop anywhere. Resolves with the answer. */
export function rawUpload(server: TestServer, client: EnclaveClient, roomId: string, body: Buffer): Promise<{ status: number; code: string | undefined }> {
  const request = openRawUpload(server, client, roomId, {});
  request.end(body);
  return new Promise((resolve, reject) => {
    request.on('error', reject);
    request.on('response', (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (text += chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, code: (JSON.parse(text) as { error?: { code: string } }).error?.code }));
    });
  });
}

/** Starts an upload whose body the test writes itself; with `contentLength` the server expects that many bytes. */
export function openRawUpload(server: TestServer, client: EnclaveClient, roomId: string, options: { contentLength?: number }): http.ClientRequest {
  const url = new URL(`/api/v1/rooms/${roomId}/files`, server.url);
  return http.request(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${client.currentToken}`,
      'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
      ...(options.contentLength !== undefined ? { 'content-length': String(options.contentLength) } : {}),
    },
  });
}

/** Waits (polling the disk) until `condition` holds for the files directory; for what the server does after a client vanished. */
export async function untilStored(server: TestServer, condition: (files: string[]) => boolean, what: string): Promise<void> {
  for (let attempt = 0; attempt < 250; attempt++) {
    if (condition(storedFiles(server))) return;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`timed out waiting until ${what}; files: ${storedFiles(server).join(', ')}`);
}
