import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { EnclaveClient } from '@enclave/sdk';
import { buildApp, loadConfig, migrateToLatest, openDatabase, type ConfigInput } from '../src/index';

/** A server started with settings of the test's choosing, whose log lines the test can read. */
export interface EdgeServer {
  url: string;
  port: number;
  /** Every log line written so far, as JSON text. */
  log: string[];
  admin: EnclaveClient;
  close(): Promise<void>;
}

/**
 * Builds the app like `startServer` does, on SQLite, but with configuration overrides (trusted proxies, short
 * timeouts, a web root) and the log captured: what the edge does depends on these, not on the storage.
 */
export async function startEdgeServer(overrides: ConfigInput = {}): Promise<EdgeServer> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-edge-'));
  const adminPassword = randomBytes(12).toString('hex');
  const config = loadConfig({}, { port: 0, host: '127.0.0.1', dataDir, adminPassword, logLevel: 'info', passwordHashCost: 10, ...overrides });
  const database = openDatabase(config);
  await migrateToLatest(database.db);
  const log: string[] = [];
  const { app, services } = await buildApp(config, database, { logStream: { write: (line) => void log.push(line) } });
  await services.users.ensureFirstAdmin(config.adminUsername, adminPassword);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  const url = `http://127.0.0.1:${port}`;
  const admin = new EnclaveClient({ baseUrl: url });
  await admin.login(config.adminUsername, adminPassword);
  return {
    url,
    port,
    log,
    admin,
    async close() {
      await app.close();
      await database.db.destroy();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Writes raw bytes to the server over a fresh connection, optionally more later, and resolves with everything the
 * server sent once it closes the connection. For requests no HTTP client would send.
 */
export function rawExchange(port: number, write: (socket: net.Socket) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve(Buffer.concat(chunks).toString('utf8')));
    socket.on('connect', () => write(socket));
  });
}
