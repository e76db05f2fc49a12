import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { RoomsService } from './rooms.service';

export function registerRoomsRoutes(app: FastifyInstance, rooms: RoomsService, authenticate: Authenticate): void {
  registerEndpoint(app, 'createRoom', authenticate, async ({ actor, body, reply }) => {
    const { room, created } = await rooms.createRoom(actor, body);
    // Asking again for an existing direct message is not an error: it answers with that room.
    if (!created) void reply.status(200);
    return { room };
  });
  registerEndpoint(app, 'listRooms', authenticate, async ({ actor }) => rooms.listRooms(actor));
  registerEndpoint(app, 'listChannels', authenticate, async ({ actor }) => ({ channels: await rooms.listChannels(actor) }));
  registerEndpoint(app, 'getRoom', authenticate, async ({ actor, params }) => ({ room: await rooms.getRoom(actor, params.roomId) }));
  registerEndpoint(app, 'joinChannel', authenticate, async ({ actor, params }) => ({ room: await rooms.joinChannel(actor, params.roomId) }));
  registerEndpoint(app, 'listMembers', authenticate, async ({ actor, params }) => ({ members: await rooms.listMembers(actor, params.roomId) }));
  registerEndpoint(app, 'addMembers', authenticate, async ({ actor, params, body }) => ({ room: await rooms.addMembers(actor, params.roomId, body.userIds) }));
  registerEndpoint(app, 'removeMember', authenticate, async ({ actor, params }) => {
    await rooms.removeMember(actor, params.roomId, params.userId);
    return {};
  });
  registerEndpoint(app, 'markRead', authenticate, async ({ actor, params, body }) => rooms.markRead(actor, params.roomId, body.messageId));
}
