import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { MessageChangesService } from './message-changes.service';
import type { MessagesService } from './messages.service';

export function registerMessagesRoutes(app: FastifyInstance, messages: MessagesService, changes: MessageChangesService, authenticate: Authenticate): void {
  registerEndpoint(app, 'sendMessage', authenticate, async ({ actor, params, body }) => ({
    message: await messages.sendMessage(actor, params.roomId, body),
  }));
  registerEndpoint(app, 'listMessages', authenticate, async ({ actor, params, query }) => messages.history(actor, params.roomId, query));
  registerEndpoint(app, 'listMentions', authenticate, async ({ actor, query }) => messages.mentions(actor, query));
  registerEndpoint(app, 'editMessage', authenticate, async ({ actor, params, body }) => ({
    message: await changes.editMessage(actor, params.messageId, body.text, body.confirmationToken),
  }));
  registerEndpoint(app, 'forwardMessage', authenticate, async ({ actor, params, body }) => ({ message: await messages.forward(actor, params.messageId, body) }));
  registerEndpoint(app, 'restrictMessage', authenticate, async ({ actor, params, body }) => ({ message: await changes.restrict(actor, params.messageId, body) }));
  registerEndpoint(app, 'deleteMessage', authenticate, async ({ actor, params }) => {
    await changes.deleteMessage(actor, params.messageId);
    return {};
  });
  registerEndpoint(app, 'recallMessage', authenticate, async ({ actor, params, body }) => ({ message: await changes.recall(actor, params.messageId, body) }));
  registerEndpoint(app, 'addReaction', authenticate, async ({ actor, params }) => ({ message: await changes.react(actor, params.messageId, params.emoji, true) }));
  registerEndpoint(app, 'removeReaction', authenticate, async ({ actor, params }) => ({ message: await changes.react(actor, params.messageId, params.emoji, false) }));
  registerEndpoint(app, 'pinMessage', authenticate, async ({ actor, params }) => ({ message: await changes.pin(actor, params.messageId, true) }));
  registerEndpoint(app, 'unpinMessage', authenticate, async ({ actor, params }) => ({ message: await changes.pin(actor, params.messageId, false) }));
  registerEndpoint(app, 'listPins', authenticate, async ({ actor, params }) => ({ messages: await changes.listPins(actor, params.roomId) }));
}
