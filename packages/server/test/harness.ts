import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, before, after } from 'node:test';
import type { EndpointInput, EphemeralEvent, LoggedEvent, Message, Role, Room, User } from '@enclave/protocol';
import { EnclaveApiError, EnclaveClient, type EnclaveStream, type SocketFactory, type StreamState } from '@enclave/sdk';
import WebSocket from 'ws';
import { loadConfig, startServer, type BuildOptions, type ConfigInput, type RunningServer } from '../src/index';
import { createPostgresDatabase } from './postgres-database';

export type Backend = 'sqlite' | 'postgres';

export interface TestServer {
  url: string;
  backend: Backend;
  admin: { user: User; username: string; password: string; client: EnclaveClient };
  /** The server running now (a new one after `restart`). */
  running: RunningServer;
  /** Stops the server and starts it again on the same port and storage, as an operator's restart would. */
  restart(): Promise<void>;
  /** The environment that points the CLI at this server's storage. */
  storageEnv: Record<string, string>;
  /** The same, as configuration overrides for a second in-process node. */
  storageConfig: { dataDir: string; databaseUrl?: string };
  close(): Promise<void>;
}

const webDist = fileURLToPath(new URL('../../web/dist', import.meta.url));

export { createPostgresDatabase, postgresAdminUrl } from './postgres-database';

/** Which backends the API suites run on: both unless ENCLAVE_TEST_BACKENDS narrows it (e.g. "sqlite"). */
export function testBackends(): Backend[] {
  const wanted = (process.env.ENCLAVE_TEST_BACKENDS ?? 'sqlite,postgres').split(',').map((b) => b.trim());
  return (['sqlite', 'postgres'] as const).filter((backend) => wanted.includes(backend));
}

/** Starts the real server in-process on an ephemeral port with fresh storage: a temp SQLite file or a new PostgreSQL database. */
export async function startTestServer(options: { backend?: Backend; serveWeb?: boolean; config?: Partial<ConfigInput>; build?: BuildOptions } = {}): Promise<TestServer> {
  const backend = options.backend ?? 'sqlite';
  const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-test-'));
  const database = backend === 'postgres' ? await createPostgresDatabase() : undefined;
  const adminPassword = randomBytes(12).toString('hex');
  const storageEnv: Record<string, string> = { ENCLAVE_DATA_DIR: dataDir, ...(database ? { DATABASE_URL: database.url } : {}) };
  const config = loadConfig(
    {},
    {
      port: 0,
      host: '127.0.0.1',
      dataDir,
      databaseUrl: database?.url,
      adminPassword,
      logLevel: (process.env.ENCLAVE_TEST_LOG_LEVEL as 'silent' | undefined) ?? 'silent',
      passwordHashCost: 10,
      // Suites sign in many people from one address; the per-address limit has its own test.
      loginAttemptsPerMinute: 10_000,
      webRoot: options.serveWeb ? webDist : undefined,
      ...options.config,
    },
  );
  let running = await startServer(config, options.build);
  const client = new EnclaveClient({ baseUrl: running.url });
  const login = await client.login(config.adminUsername, adminPassword);
  const port = Number(new URL(running.url).port);
  return {
    url: running.url,
    backend,
    get running() {
      return running;
    },
    storageEnv: { ...storageEnv, ENCLAVE_PASSWORD_HASH_COST: '10' },
    storageConfig: { dataDir, ...(database ? { databaseUrl: database.url } : {}) },
    admin: { user: login.user, username: config.adminUsername, password: adminPassword, client },
    async restart() {
      await running.close();
      running = await startServer({ ...config, port }, options.build);
    },
    async close() {
      await running.close();
      await database?.drop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Runs a suite once per backend, each with its own fresh server. The callback gets a getter because the server
 * only exists once the suite's `before` hook has run.
 */
export function describeEachBackend(title: string, suite: (server: () => TestServer) => void, config?: Partial<ConfigInput>, build?: BuildOptions): void {
  for (const backend of testBackends()) {
    describe(`${title} [${backend}]`, () => {
      let server: TestServer | undefined;
      before(async () => {
        server = await startTestServer({ backend, ...(config ? { config } : {}), ...(build ? { build } : {}) });
      });
      after(async () => {
        await server?.close();
      });
      suite(() => {
        if (!server) throw new Error('test server not started');
        return server;
      });
    });
  }
}

export const nodeSocketFactory = (url: string) => new WebSocket(url) as never;

/** A stream plus everything it delivered, with a way to wait until some condition on it holds. */
export interface RecordedStream {
  stream: EnclaveStream;
  events: LoggedEvent[];
  /** Presence and typing frames, which are not logged. */
  ephemeral: EphemeralEvent[];
  states: StreamState[];
  waitFor(predicate: (events: LoggedEvent[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  waitForEphemeral(predicate: (events: EphemeralEvent[]) => boolean, what: string, timeoutMs?: number): Promise<void>;
  close(): void;
}

/** `socketFactory` picks the address each (re)connection goes to: a client that knows several nodes moves between them. */
export async function openStream(client: EnclaveClient, options: { after?: number; waitLive?: boolean; socketFactory?: SocketFactory } = {}): Promise<RecordedStream> {
  const events: LoggedEvent[] = [];
  const ephemeral: EphemeralEvent[] = [];
  const states: StreamState[] = [];
  const listeners = new Set<() => void>();
  const waitUntil = (condition: () => boolean, what: string, timeoutMs: number, count: () => string) => {
    if (condition()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(new Error(`timed out waiting for ${what}; got ${count()}`));
      }, timeoutMs);
      const check = () => {
        if (!condition()) return;
        clearTimeout(timer);
        listeners.delete(check);
        resolve();
      };
      listeners.add(check);
    });
  };
  const stream = client.stream({
    socketFactory: options.socketFactory ?? nodeSocketFactory,
    ...(options.after !== undefined ? { after: options.after } : {}),
    minDelay: 20,
    maxDelay: 200,
    onEvent: (event) => {
      events.push(event);
      for (const listener of listeners) listener();
    },
    onEphemeral: (event) => {
      ephemeral.push(event);
      for (const listener of listeners) listener();
    },
    onStateChange: (state) => states.push(state),
  });
  if (options.waitLive !== false) await stream.whenLive();
  return {
    stream,
    events,
    ephemeral,
    states,
    waitFor: (predicate, what, timeoutMs = 5000) => waitUntil(() => predicate(events), what, timeoutMs, () => `${events.length} events`),
    waitForEphemeral: (predicate, what, timeoutMs = 5000) => waitUntil(() => predicate(ephemeral), what, timeoutMs, () => `${ephemeral.length} frames`),
    close: () => stream.close(),
  };
}

export function messagesIn(events: LoggedEvent[], roomId?: string) {
  return events.flatMap((event) => (event.type === 'message.created' && (roomId === undefined || event.message.roomId === roomId) ? [event.message] : []));
}

