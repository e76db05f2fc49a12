import { z } from 'zod';
import { Empty, LoginRequest, LoginResponse, MeResponse, SessionIdParams, SessionListResponse } from './auth';
import { MessageHistoryRequest, MessageHistoryResponse, MessageResponse, MessageSendRequest } from './messages';
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
import { UserCreateRequest, UserIdParams, UserListRequest, UserListResponse, UserPasswordRequest, UserResponse, UserUpdateRequest } from './users';

/** Who may call an endpoint: anyone, any signed-in user, or an admin. */
export type Access = 'public' | 'user' | 'admin';

export interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Fastify-style path with `:param` segments. */
  path: string;
  access: Access;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  status: number;
}

function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}

/**
 * Every REST endpoint: the server registers these, the SDK calls them by name and the OpenAPI document is built
 * from them, so the three cannot disagree.
 */
export const endpoints = {
  login: endpoint({ method: 'POST', path: '/api/v1/auth/login', access: 'public', summary: 'Sign in with username and password', body: LoginRequest, response: LoginResponse, status: 200 }),
  logout: endpoint({ method: 'POST', path: '/api/v1/auth/logout', access: 'user', summary: 'End the current session', response: Empty, status: 200 }),
  me: endpoint({ method: 'GET', path: '/api/v1/auth/me', access: 'user', summary: 'The signed-in user', response: MeResponse, status: 200 }),
  listSessions: endpoint({ method: 'GET', path: '/api/v1/auth/sessions', access: 'user', summary: 'My signed-in devices', response: SessionListResponse, status: 200 }),
  revokeSession: endpoint({ method: 'DELETE', path: '/api/v1/auth/sessions/:sessionId', access: 'user', summary: 'Sign out one of my devices', params: SessionIdParams, response: Empty, status: 200 }),

  createUser: endpoint({ method: 'POST', path: '/api/v1/users', access: 'admin', summary: 'Create a user', body: UserCreateRequest, response: UserResponse, status: 201 }),
  listUsers: endpoint({ method: 'GET', path: '/api/v1/users', access: 'user', summary: 'The people directory', query: UserListRequest, response: UserListResponse, status: 200 }),
  getUser: endpoint({ method: 'GET', path: '/api/v1/users/:userId', access: 'user', summary: 'One user', params: UserIdParams, response: UserResponse, status: 200 }),
  updateUser: endpoint({ method: 'PATCH', path: '/api/v1/users/:userId', access: 'admin', summary: "Change a user's display name or role", params: UserIdParams, body: UserUpdateRequest, response: UserResponse, status: 200 }),
  resetPassword: endpoint({ method: 'POST', path: '/api/v1/users/:userId/password', access: 'admin', summary: "Set a user's password and end all their sessions", params: UserIdParams, body: UserPasswordRequest, response: Empty, status: 200 }),

  createRoom: endpoint({ method: 'POST', path: '/api/v1/rooms', access: 'user', summary: 'Create a channel, a private group or a direct message', body: RoomCreateRequest, response: RoomResponse, status: 201 }),
  listRooms: endpoint({ method: 'GET', path: '/api/v1/rooms', access: 'user', summary: 'My rooms with unread counts', response: RoomListResponse, status: 200 }),
  listChannels: endpoint({ method: 'GET', path: '/api/v1/channels', access: 'user', summary: 'All channels of the organisation', response: ChannelDirectoryResponse, status: 200 }),
  getRoom: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId', access: 'user', summary: 'One of my rooms', params: RoomIdParams, response: RoomSummaryResponse, status: 200 }),
  joinChannel: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/join', access: 'user', summary: 'Join a channel', params: RoomIdParams, response: RoomResponse, status: 200 }),
  listMembers: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId/members', access: 'user', summary: 'Members of a room', params: RoomIdParams, response: RoomMemberListResponse, status: 200 }),
  addMembers: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/members', access: 'user', summary: 'Add people to a room', params: RoomIdParams, body: MembersAddRequest, response: RoomResponse, status: 200 }),
  removeMember: endpoint({ method: 'DELETE', path: '/api/v1/rooms/:roomId/members/:userId', access: 'user', summary: 'Remove a member, or leave', params: RoomMemberParams, response: Empty, status: 200 }),
  markRead: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/read', access: 'user', summary: 'Move my read position', params: RoomIdParams, body: ReadMarkRequest, response: ReadMarkResponse, status: 200 }),

  sendMessage: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/messages', access: 'user', summary: 'Send a message', params: RoomIdParams, body: MessageSendRequest, response: MessageResponse, status: 201 }),
  listMessages: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId/messages', access: 'user', summary: 'History, newest first', params: RoomIdParams, query: MessageHistoryRequest, response: MessageHistoryResponse, status: 200 }),
} as const;

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;

type InputOf<S> = S extends z.ZodType ? z.input<S> : never;
type Part<E, K extends string> = E extends Record<K, z.ZodType>
  ? {} extends InputOf<E[K]>
    ? { [P in K]?: InputOf<E[K]> }
    : { [P in K]: InputOf<E[K]> }
  : { [P in K]?: never };
/** What a caller passes for an endpoint: only the parts it has, typed by the schemas. */
export type EndpointInput<N extends EndpointName> = Part<Endpoints[N], 'params'> & Part<Endpoints[N], 'query'> & Part<Endpoints[N], 'body'>;
export type EndpointOutput<N extends EndpointName> = z.infer<Endpoints[N]['response']>;
