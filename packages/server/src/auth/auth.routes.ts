import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { AuthService } from './auth.service';
import { clearedSessionCookie, sessionCookie } from './credentials';

export function registerAuthRoutes(app: FastifyInstance, auth: AuthService, authenticate: Authenticate, sessionDays: number): void {
  registerEndpoint(app, 'login', authenticate, async ({ body, request, reply }) => {
    const result = await auth.login(body, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    if (body.useCookie) {
      void reply.header('set-cookie', sessionCookie(result.token, sessionDays * 86_400, request.protocol === 'https'));
      return { user: result.user, sessionId: result.sessionId };
    }
    return result;
  });

  registerEndpoint(app, 'logout', authenticate, async ({ actor, reply }) => {
    await auth.logout(actor);
    void reply.header('set-cookie', clearedSessionCookie());
    return {};
  });

  registerEndpoint(app, 'me', authenticate, async ({ actor }) => ({ user: await auth.currentUser(actor), sessionId: actor.sessionId }));

  registerEndpoint(app, 'listSessions', authenticate, async ({ actor }) => ({ sessions: await auth.listSessions(actor) }));

  registerEndpoint(app, 'revokeSession', authenticate, async ({ actor, params }) => {
    await auth.revokeSession(actor, params.sessionId);
    return {};
  });
}
