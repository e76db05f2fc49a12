import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  MIN_CLIENT_PROTOCOL_VERSION,
  PROTOCOL_VERSION,
  STREAM_MAX_FRAME_BYTES,
  STREAM_PATH,
  StreamConnectQuery,
  streamCloseCodes,
  type StreamCloseCode,
  type StreamIncompatibility,
} from '@enclave/protocol';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Actor } from '../auth/actor';
import type { AuthService } from '../auth/auth.service';
import { readToken, usesCookie } from '../auth/credentials';
import { clientOrigin, type TrustedProxies } from '../http/client-address';
import { StreamConnection } from './stream-connection';
import { ConnectionQuota, FrameBudget, frameCost, type StreamLimits } from './stream-limits';
import type { StreamService } from './stream.service';

const HEARTBEAT_MS = 30_000;
/**
 * Frames a client may send before its credentials are checked. A well-behaved client sends nothing before the
 * server's `hello`; the few that race it are kept and handled once the connection is signed in.
 */
const MAX_EARLY_FRAMES = 16;

/**
 * Serves the WebSocket stream on the HTTP server's upgrade event. The only module that knows about WebSocket
 * framing: everything else hands it ready frames. Every way a client can misbehave (a frame too large, invalid
 * UTF-8, a broken frame, a binary frame, too many frames, too many connections) closes that one connection with a
 * code from the protocol's `streamCloseCodes` and a log line; nothing a client sends reaches the process's
 * unhandled-error path.
 */
export function registerStreamRoutes(app: FastifyInstance, stream: StreamService, auth: AuthService, limits: StreamLimits, trustedProxies: TrustedProxies): { openStreams: () => number } {
  /**
   * The client address of an upgrade request, through trusted proxies by the same rules as HTTP requests: the one
   * place the stream reads it, for the per-address cap and the session's last address.
   */
  const upgradeAddress = (request: IncomingMessage): string => clientOrigin(request, trustedProxies).address || 'unknown';

  // Pings are answered below rather than by ws, whose own guard against a ping flood drops the connection without a
  // close code; ours spends the connection's frame budget and closes with `flooding`.
  const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: STREAM_MAX_FRAME_BYTES, autoPong: false });
  const connections = new Set<StreamConnection>();
  const perAddress = new ConnectionQuota(limits.maxPerAddress);
  const perUser = new ConnectionQuota(limits.maxPerUser);

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // The HTTP server took its error listener off the socket when the upgrade began; until ws adds its own, a reset
    // connection must not become an unhandled 'error'.
    socket.on('error', (error: Error & { code?: string }) => app.log.debug({ code: error.code }, 'stream socket failed during upgrade'));
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== STREAM_PATH) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => serve(ws, request, url));
  });

  function serve(ws: WebSocket, request: IncomingMessage, url: URL): void {
    const address = upgradeAddress(request);
    const refuse = (code: StreamCloseCode, reason: string, details: object = {}) => {
      app.log.warn({ closeCode: code, reason, address, ...details }, 'stream closed for misbehaving');
      ws.close(code, reason);
    };
    // ws answers a frame it cannot accept (too large 1009, invalid UTF-8 1007, a broken frame 1002, too many
    // fragments 1008) by closing with that code itself and then emitting 'error'; the listener makes that a log line.
    ws.on('error', (error: Error & { code?: string }) => {
      app.log.warn({ code: error.code, reason: error.message, address }, 'stream frame refused');
    });
    if (!perAddress.take(address)) return refuse(streamCloseCodes.tooManyConnections, 'too many connections from this address');

    const budget = new FrameBudget(limits.framesPerSecond);
    const early: string[] = [];
    let handle: ((text: string) => void) | undefined;
    let release = () => perAddress.release(address);
    ws.on('close', () => release());
    ws.on('ping', (data) => {
      if (ws.readyState !== ws.OPEN) return;
      if (!budget.take(frameCost(data.byteLength))) return refuse(streamCloseCodes.flooding, 'too many pings');
      ws.pong(data);
    });
    ws.on('message', (data, isBinary) => {
      if (ws.readyState !== ws.OPEN) return;
      const bytes = Array.isArray(data) ? data.reduce((sum, part) => sum + part.byteLength, 0) : data.byteLength;
      if (!budget.take(frameCost(bytes))) return refuse(streamCloseCodes.flooding, 'too many frames');
      if (isBinary) return refuse(streamCloseCodes.badRequest, 'text frames only');
      const text = String(data);
      if (handle) return handle(text);
      if (early.length >= MAX_EARLY_FRAMES) return refuse(streamCloseCodes.flooding, 'too many frames before hello');
      early.push(text);
    });

    signIn(ws, request, url).then(
      (signedIn) => {
        // A bad frame may have closed the socket while the credentials were being checked.
        if (!signedIn || ws.readyState !== ws.OPEN) return;
        const { actor, after, locale } = signedIn;
        if (!perUser.take(actor.userId)) return refuse(streamCloseCodes.tooManyConnections, 'too many connections for this person', { userId: actor.userId });
        const connection = new StreamConnection(ws, actor.userId, actor.role, actor.sessionId, after ?? 0);
        connections.add(connection);
        release = () => {
          perAddress.release(address);
          perUser.release(actor.userId);
          connections.delete(connection);
          stream.close(connection);
        };
        ws.on('pong', () => {
          connection.alive = true;
        });
        // Frames are handled one at a time, in order: the first waits for the backlog, each later one for the one before.
        let queue = Promise.resolve();
        const enqueue = (task: () => Promise<void> | undefined) => {
          queue = queue.then(task).catch((error: unknown) => failed(ws, error, address));
        };
        enqueue(() => stream.open(connection, after));
        handle = (text) => enqueue(() => (ws.readyState === ws.OPEN ? stream.receive(connection, actor, text, locale) : undefined));
        for (const text of early.splice(0)) handle(text);
      },
      (error: unknown) => failed(ws, error, address),
    );
  }

  /** Our own failure, not the client's: logged in full, and the client told to come back later. */
  function failed(ws: WebSocket, error: unknown, address: string): void {
    app.log.error({ err: error, address }, 'stream failed');
    ws.close(streamCloseCodes.internalError, 'internal error');
  }

  /** Checks the query and the credentials; undefined when the socket was closed instead. */
  async function signIn(ws: WebSocket, request: IncomingMessage, url: URL): Promise<{ actor: Actor; after: number | undefined; locale: string | undefined } | undefined> {
    const query = StreamConnectQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return void ws.close(streamCloseCodes.badRequest, 'bad query');
    const incompatibility = protocolIncompatibility(query.data.protocolVersion);
    if (incompatibility) return void ws.close(streamCloseCodes.incompatibleProtocol, incompatibility);
    const actor = await authenticateUpgrade(request, query.data.token);
    if (!actor) return void ws.close(streamCloseCodes.unauthenticated, 'unauthenticated');
    return { actor, after: query.data.after, locale: query.data.locale ?? request.headers['accept-language'] };
  }

  async function authenticateUpgrade(request: IncomingMessage, queryToken: string | undefined): Promise<Actor | undefined> {
    // A cookie rides along with any page's request, so a cookie-authenticated stream must come from our own page.
    if (usesCookie(request.headers, queryToken) && !sameOrigin(request)) return undefined;
    const token = readToken(request.headers, queryToken);
    return auth.authenticate(token, upgradeAddress(request)).catch(() => undefined);
  }

  // One timer for all connections: a peer that missed a whole interval is gone.
  const heartbeat = setInterval(() => {
    for (const connection of connections) {
      if (!connection.alive) {
        connection.socket.terminate();
        continue;
      }
      connection.alive = false;
      connection.socket.ping();
    }
  }, HEARTBEAT_MS);
  heartbeat.unref();

  // Before the HTTP server stops: it waits for its connections, and open streams would otherwise hold it up.
  app.addHook('preClose', async () => {
    clearInterval(heartbeat);
    for (const connection of connections) connection.socket.close(streamCloseCodes.serverShutdown, 'server shutting down');
    sockets.close();
  });
  // Signed-in connections only: one still checking its credentials is not a stream yet.
  return { openStreams: () => connections.size };
}

/** Whether this server can talk to a client of that protocol version; a client that names none predates versioning. */
function protocolIncompatibility(clientVersion: number | undefined): StreamIncompatibility | undefined {
  if (clientVersion === undefined) return undefined;
  if (clientVersion < MIN_CLIENT_PROTOCOL_VERSION) return 'client_too_old';
  if (clientVersion > PROTOCOL_VERSION) return 'client_too_new';
  return undefined;
}

function sameOrigin(request: IncomingMessage): boolean {
  const origin = request.headers.origin;
  if (!origin) return false;
  try {
    return new URL(origin).host === request.headers.host;
  } catch {
    return false;
  }
}
