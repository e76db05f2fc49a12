import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { ReadStatusService } from './read-status.service';
import type { RoomLifecycleService } from './room-lifecycle.service';
import type { RoomsService } from './rooms.service';

export function registerRoomsRoutes(
  app: FastifyInstance,
  services: { rooms: RoomsService; readStatus: ReadStatusService; lifecycle: RoomLifecycleService },
  authenticate: Authenticate,
): void {
  const { rooms, readStatus, lifecycle } = services;
  registerEndpoint(app, 'createRoom', authenticate, async ({ actor, body, reply }) => {
    const { room, created } = await rooms.createRoom(actor, body);
    // Asking again for an existing direct message is not an error: it answers with that room.
    if (!created) void reply.status(200);
    return { room };
  });
  registerEndpoint(app, 'listRooms', authenticate, async ({ actor }) => rooms.listRooms(actor));
  registerEndpoint(app, 'listChannels', authenticate, async ({ actor }) => ({ channels: await rooms.listChannels(actor) }));
  registerEndpoint(app, 'getRoom', authenticate, async ({ actor, params }) => ({ room: await rooms.getRoom(actor, params.roomId) }));
  registerEndpoint(app, 'updateRoom', authenticate, async ({ actor, params, body }) => ({ room: await rooms.updateRoom(actor, params.roomId, body) }));
  registerEndpoint(app, 'muteRoom', authenticate, async ({ actor, params, body }) => ({ room: await rooms.muteRoom(actor, params.roomId, body.muted) }));
  registerEndpoint(app, 'joinChannel', authenticate, async ({ actor, params }) => ({ room: await rooms.joinChannel(actor, params.roomId) }));
  registerEndpoint(app, 'listMembers', authenticate, async ({ actor, params }) => ({ members: await rooms.listMembers(actor, params.roomId) }));
  registerEndpoint(app, 'addMembers', authenticate, async ({ actor, params, body }) => ({ room: await rooms.addMembers(actor, params.roomId, body.userIds) }));
  registerEndpoint(app, 'removeMember', authenticate, async ({ actor, params }) => {
    await rooms.removeMember(actor, params.roomId, params.userId);
    return {};
  });

  registerEndpoint(app, 'markRead', authenticate, async ({ actor, params, body }) => readStatus.markRead(actor, params.roomId, body.messageId));
  registerEndpoint(app, 'readPositions', authenticate, async ({ actor, params }) => ({ positions: await readStatus.readPositions(actor, params.roomId) }));
  registerEndpoint(app, 'messageReaders', authenticate, async ({ actor, params }) => readStatus.readers(actor, params.messageId));

  registerEndpoint(app, 'freezeRoom', authenticate, async ({ actor, params, body }) => ({ room: await lifecycle.freeze(actor, params.roomId, body.reason) }));
  registerEndpoint(app, 'unfreezeRoom', authenticate, async ({ actor, params }) => ({ room: await lifecycle.unfreeze(actor, params.roomId) }));
  registerEndpoint(app, 'exportRoom', authenticate, async ({ actor, params, query, reply }) => {
    const content = await lifecycle.export(actor, params.roomId, query.format);
    void reply.type(query.format === 'html' ? 'text/html; charset=utf-8' : 'application/x-ndjson; charset=utf-8');
    void reply.header('content-disposition', `attachment; filename="room-${params.roomId}.${query.format}"`);
    return content;
  });
  registerEndpoint(app, 'deleteRoom', authenticate, async ({ actor, params }) => ({ certificate: await lifecycle.delete(actor, params.roomId) }));
  registerEndpoint(app, 'adminListRooms', authenticate, async ({ query }) => lifecycle.search(query));
  registerEndpoint(app, 'officerListRooms', authenticate, async ({ query }) => lifecycle.searchForOfficer(query));
  registerEndpoint(app, 'setRoomMarking', authenticate, async ({ actor, params, body }) => ({ room: await rooms.setMarking(actor, params.roomId, body.marking) }));
  registerEndpoint(app, 'bulkFreezeRooms', authenticate, async ({ actor, body }) => ({ rooms: await lifecycle.freezeMany(actor, body.roomIds, body.reason) }));
  registerEndpoint(app, 'bulkDeleteRooms', authenticate, async ({ actor, body }) => ({ certificates: await lifecycle.deleteMany(actor, body.roomIds) }));
}
