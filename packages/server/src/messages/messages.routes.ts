import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { MessagesService } from './messages.service';

export function registerMessagesRoutes(app: FastifyInstance, messages: MessagesService, authenticate: Authenticate): void {
  registerEndpoint(app, 'sendMessage', authenticate, async ({ actor, params, body }) => ({
    message: await messages.sendMessage(actor, params.roomId, body),
  }));
  registerEndpoint(app, 'listMessages', authenticate, async ({ actor, params, query }) => messages.history(actor, params.roomId, query));
}
