import type { FastifyInstance, FastifyRequest } from 'fastify';
import { sessionCookie } from '../auth/credentials';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { InvitesService } from './invites.service';

export interface InviteRoutesOptions {
  /** ENCLAVE_PUBLIC_URL: the origin invite links point at; unset means the origin the request came to. */
  publicUrl: string | undefined;
  sessionDays: number;
}

export function registerInvitesRoutes(app: FastifyInstance, invites: InvitesService, authenticate: Authenticate, options: InviteRoutesOptions): void {
  const originOf = (request: FastifyRequest) => options.publicUrl ?? `${request.protocol}://${request.host}`;

  registerEndpoint(app, 'createInvite', authenticate, async ({ actor, body, request }) => ({ invite: await invites.create(actor, body, originOf(request)) }));
  registerEndpoint(app, 'listInvites', authenticate, async ({ actor, query }) => ({ invites: await invites.list(actor, query.roomId) }));
  registerEndpoint(app, 'revokeInvite', authenticate, async ({ actor, params }) => ({ invite: await invites.revoke(actor, params.inviteId) }));
  registerEndpoint(app, 'getInvite', authenticate, async ({ params, request }) => ({ invite: await invites.preview(params.code, request.ip) }));
  registerEndpoint(app, 'inviteQrSvg', authenticate, async ({ params, request }) => invites.qrSvg(params.code, originOf(request), request.ip));
  registerEndpoint(app, 'inviteQrPng', authenticate, async ({ params, request }) => invites.qrPng(params.code, originOf(request), request.ip));
  registerEndpoint(app, 'acceptInvite', authenticate, async ({ actor, params, body, request, reply }) => {
    const outcome = await invites.accept(params.code, actor, body, { ip: request.ip, userAgent: request.headers['user-agent'] ?? null });
    // As at sign-in: the web client gets its new session as an HttpOnly cookie, never as a token in script reach.
    if (!body.useCookie || outcome.token === undefined) return outcome;
    const { token, ...rest } = outcome;
    void reply.header('set-cookie', sessionCookie(token, options.sessionDays * 86_400, request.protocol === 'https'));
    return rest;
  });
  registerEndpoint(app, 'listInviteRequests', authenticate, async ({ query }) => ({ requests: await invites.listRequests(query.status) }));
  registerEndpoint(app, 'approveInviteRequest', authenticate, async ({ actor, params }) => ({ request: await invites.approve(actor, params.requestId) }));
  registerEndpoint(app, 'rejectInviteRequest', authenticate, async ({ actor, params }) => ({ request: await invites.reject(actor, params.requestId) }));
}
