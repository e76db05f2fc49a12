import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { STREAM_PATH, StreamConnectQuery, streamCloseCodes } from '@enclave/protocol';
import type { FastifyInstance } from 'fastify';
import { WebSocketServer, type WebSocket } from 'ws';
import type { Actor } from '../auth/actor';
import type { AuthService } from '../auth/auth.service';
import { readToken, usesCookie } from '../auth/credentials';
import { StreamConnection } from './stream-connection';
import type { StreamService } from './stream.service';

const HEARTBEAT_MS = 30_000;
const MAX_FRAME_BYTES = 64 * 1024;

/**
 * Serves the WebSocket stream on the HTTP server's upgrade event. The only module that knows about WebSocket
 * framing: everything else hands it ready frames.
 */
export function registerStreamRoutes(app: FastifyInstance, stream: StreamService, auth: AuthService): void {
  const sockets = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: MAX_FRAME_BYTES });
  const connections = new Set<StreamConnection>();

  app.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const url = new URL(request.url ?? '/', 'http://localhost');
    if (url.pathname !== STREAM_PATH) {
      socket.destroy();
      return;
    }
    sockets.handleUpgrade(request, socket, head, (ws) => {
      // ws reports a frame it cannot accept (too large, invalid UTF-8, bad opcode) as an 'error' on the socket and
      // closes it itself; an unhandled 'error' would end the process, so every socket has a listener from its start.
      ws.on('error', (error: Error & { code?: string }) => {
        app.log.warn({ code: error.code, reason: error.message }, 'stream frame refused');
      });
      void accept(ws, request, url).catch((error: unknown) => {
        app.log.error({ err: error }, 'stream setup failed');
        ws.close(1011, 'internal error');
      });
    });
  });

  async function accept(ws: WebSocket, request: IncomingMessage, url: URL): Promise<void> {
    const query = StreamConnectQuery.safeParse(Object.fromEntries(url.searchParams));
    if (!query.success) return ws.close(streamCloseCodes.badRequest, 'bad query');
    const actor = await authenticateUpgrade(request, query.data.token);
    if (!actor) return ws.close(streamCloseCodes.unauthenticated, 'unauthenticated');
    const connection = new StreamConnection(ws, actor.userId, actor.sessionId, query.data.after ?? 0);
    connections.add(connection);
    const locale = query.data.locale ?? request.headers['accept-language'];
    // Frames that arrive while the backlog is still being sent are handled in order once it is done.
    let ready = stream.open(connection, query.data.after);
    ws.on('message', (data, isBinary) => {
      if (isBinary) return ws.close(streamCloseCodes.badRequest, 'text frames only');
      const text = String(data);
      ready = ready.then(() => stream.receive(connection, actor, text, locale));
    });
    ws.on('pong', () => {
      connection.alive = true;
    });
    ws.on('close', () => {
      connections.delete(connection);
      stream.close(connection);
    });
    await ready;
  }

  async function authenticateUpgrade(request: IncomingMessage, queryToken: string | undefined): Promise<Actor | undefined> {
    // A cookie rides along with any page's request, so a cookie-authenticated stream must come from our own page.
    if (usesCookie(request.headers, queryToken) && !sameOrigin(request)) return undefined;
    const token = readToken(request.headers, queryToken);
    return auth.authenticate(token, request.socket.remoteAddress ?? null).catch(() => undefined);
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
