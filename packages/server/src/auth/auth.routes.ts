import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { AuthService, LoginResult } from './auth.service';
import { clearedSessionCookie, sessionCookie } from './credentials';

export function registerAuthRoutes(app: FastifyInstance, auth: AuthService, authenticate: Authenticate, sessionDays: number): void {
  /** The web client asks for the session in an HttpOnly cookie; then the token stays out of the answer. */
  function answerLogin(result: LoginResult, useCookie: boolean | undefined, request: FastifyRequest, reply: FastifyReply) {
    if (!useCookie) return result;
    void reply.header('set-cookie', sessionCookie(result.token, sessionDays * 86_400, request.protocol === 'https'));
    return { user: result.user, sessionId: result.sessionId, passwordChangeRequired: result.passwordChangeRequired };
  }
  const clientOf = (request: FastifyRequest) => ({ ip: request.ip, userAgent: request.headers['user-agent'] ?? null });

  registerEndpoint(app, 'login', authenticate, async ({ body, request, reply }) =>
    answerLogin(await auth.login(body, clientOf(request)), body.useCookie, request, reply),
  );

  registerEndpoint(app, 'loginTwoFactor', authenticate, async ({ body, request, reply }) => {
    const factor = body.code !== undefined ? { code: body.code } : { recoveryCode: body.recoveryCode ?? '' };
    return answerLogin(await auth.loginWithSecondFactor(body.challenge, factor, clientOf(request)), body.useCookie, request, reply);
  });

  registerEndpoint(app, 'logout', authenticate, async ({ actor, reply }) => {
    await auth.logout(actor);
    void reply.header('set-cookie', clearedSessionCookie());
    return {};
  });

  registerEndpoint(app, 'me', authenticate, async ({ actor }) => auth.me(actor));

  registerEndpoint(app, 'listSessions', authenticate, async ({ actor }) => ({ sessions: await auth.listSessions(actor) }));

  registerEndpoint(app, 'revokeSession', authenticate, async ({ actor, params }) => {
    await auth.revokeSession(actor, params.sessionId);
    return {};
  });

  registerEndpoint(app, 'changeMyPassword', authenticate, async ({ actor, body }) => {
    await auth.changePassword(actor, body.currentPassword, body.newPassword);
    return {};
  });

  registerEndpoint(app, 'revokeOtherSessions', authenticate, async ({ actor }) => ({ revoked: await auth.revokeOtherSessions(actor) }));
}
