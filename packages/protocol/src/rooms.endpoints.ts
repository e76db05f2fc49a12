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
} from './rooms';
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
} as const;
