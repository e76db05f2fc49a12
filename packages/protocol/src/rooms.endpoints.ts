import { Empty } from './auth';
import {
  ChannelDirectoryResponse,
  MembersAddRequest,
  ReadMarkRequest,
  ReadMarkResponse,
  RoomCreateRequest,
  RoomIdParams,
  RoomListResponse,
  RoomMemberListResponse,
  RoomMemberParams,
  RoomResponse,
  RoomSummaryResponse,
  RoomUpdateRequest,
  RoomMuteRequest,
  RoomFreezeRequest,
  RoomDeleteResponse,
  RoomExportRequest,
  ReadPositionsResponse,
} from './rooms';
import { z } from 'zod';
import { endpoint } from './endpoint';

export const roomsEndpoints = {
  createRoom: endpoint({ method: 'POST', path: '/api/v1/rooms', access: 'user', summary: 'Create a channel, a private group or a direct message', body: RoomCreateRequest, response: RoomResponse, status: 201 }),
  listRooms: endpoint({ method: 'GET', path: '/api/v1/rooms', access: 'user', summary: 'My rooms with unread counts', response: RoomListResponse, status: 200 }),
  listChannels: endpoint({ method: 'GET', path: '/api/v1/channels', access: 'user', summary: 'All channels of the organisation', response: ChannelDirectoryResponse, status: 200 }),
  getRoom: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId', access: 'user', summary: 'One of my rooms', params: RoomIdParams, response: RoomSummaryResponse, status: 200 }),
  joinChannel: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/join', access: 'user', summary: 'Join a channel', params: RoomIdParams, response: RoomResponse, status: 200 }),
  listMembers: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId/members', access: 'user', summary: 'Members of a room', params: RoomIdParams, response: RoomMemberListResponse, status: 200 }),
  addMembers: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/members', access: 'user', summary: 'Add people to a room', params: RoomIdParams, body: MembersAddRequest, response: RoomResponse, status: 200 }),
  removeMember: endpoint({ method: 'DELETE', path: '/api/v1/rooms/:roomId/members/:userId', access: 'user', summary: 'Remove a member, or leave', params: RoomMemberParams, response: Empty, status: 200 }),
  markRead: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/read', access: 'user', summary: 'Move my read position', params: RoomIdParams, body: ReadMarkRequest, response: ReadMarkResponse, status: 200 }),
  updateRoom: endpoint({ method: 'PATCH', path: '/api/v1/rooms/:roomId', access: 'user', summary: 'Rename a room or set its topic (owners; any member of a channel)', params: RoomIdParams, body: RoomUpdateRequest, response: RoomResponse, status: 200 }),
  muteRoom: endpoint({ method: 'PUT', path: '/api/v1/rooms/:roomId/mute', access: 'user', summary: 'Mute or unmute notifications for a room', params: RoomIdParams, body: RoomMuteRequest, response: RoomSummaryResponse, status: 200 }),
  readPositions: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId/read-positions', access: 'user', summary: "Every member's read position", params: RoomIdParams, response: ReadPositionsResponse, status: 200 }),
  freezeRoom: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/freeze', access: 'admin', summary: 'Freeze a room: read-only for everyone, with a reason', params: RoomIdParams, body: RoomFreezeRequest, response: RoomResponse, status: 200 }),
  unfreezeRoom: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/unfreeze', access: 'admin', summary: 'Make a frozen room writable again', params: RoomIdParams, response: RoomResponse, status: 200 }),
  exportRoom: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId/export', access: 'user', summary: 'Export a frozen room as JSON Lines or a readable HTML transcript (compliance officers: any room; admins: rooms they are in)', params: RoomIdParams, query: RoomExportRequest, response: z.string(), status: 200, produces: 'application/x-ndjson' }),
  deleteRoom: endpoint({ method: 'DELETE', path: '/api/v1/rooms/:roomId', access: 'admin', summary: 'Irreversibly delete a frozen room; leaves a deletion certificate in the audit log', params: RoomIdParams, response: RoomDeleteResponse, status: 200 }),
} as const;
