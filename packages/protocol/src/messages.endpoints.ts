import { Empty } from './auth';
import {
  MentionListRequest,
  MentionListResponse,
  MessageEditRequest,
  MessageForwardRequest,
  MessageHistoryRequest,
  MessageHistoryResponse,
  MessageIdParams,
  MessageReadersResponse,
  MessageRecallRequest,
  MessageResponse,
  MessageRestrictionsRequest,
  MessageSendRequest,
  PinnedMessagesResponse,
  ReactionParams,
} from './messages';
import { RoomIdParams } from './rooms';
import { endpoint } from './endpoint';

export const messagesEndpoints = {
  sendMessage: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/messages', access: 'user', summary: 'Send a message', params: RoomIdParams, body: MessageSendRequest, response: MessageResponse, status: 201 }),
  listMessages: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId/messages', access: 'user', summary: 'History, newest first', params: RoomIdParams, query: MessageHistoryRequest, response: MessageHistoryResponse, status: 200 }),
  editMessage: endpoint({ method: 'PATCH', path: '/api/v1/messages/:messageId', access: 'user', summary: 'Edit my message (the earlier text is kept for compliance)', params: MessageIdParams, body: MessageEditRequest, response: MessageResponse, status: 200 }),
  deleteMessage: endpoint({ method: 'DELETE', path: '/api/v1/messages/:messageId', access: 'user', summary: 'Delete my message (hidden from members, kept per retention)', params: MessageIdParams, response: Empty, status: 200 }),
  recallMessage: endpoint({ method: 'POST', path: '/api/v1/messages/:messageId/recall', access: 'user', summary: 'Recall my message within the recall window (kept for compliance)', params: MessageIdParams, body: MessageRecallRequest, response: MessageResponse, status: 200 }),
  forwardMessage: endpoint({ method: 'POST', path: '/api/v1/messages/:messageId/forward', access: 'user', summary: 'Forward a message into another room, keeping its label and provenance', params: MessageIdParams, body: MessageForwardRequest, response: MessageResponse, status: 201 }),
  restrictMessage: endpoint({ method: 'PUT', path: '/api/v1/messages/:messageId/restrictions', access: 'user', summary: 'Forbid forwarding, copying or downloading one message (its sender or a room owner)', params: MessageIdParams, body: MessageRestrictionsRequest, response: MessageResponse, status: 200 }),
  addReaction: endpoint({ method: 'PUT', path: '/api/v1/messages/:messageId/reactions/:emoji', access: 'user', summary: 'React with an emoji', params: ReactionParams, response: MessageResponse, status: 200 }),
  removeReaction: endpoint({ method: 'DELETE', path: '/api/v1/messages/:messageId/reactions/:emoji', access: 'user', summary: 'Take my reaction back', params: ReactionParams, response: MessageResponse, status: 200 }),
  pinMessage: endpoint({ method: 'PUT', path: '/api/v1/messages/:messageId/pin', access: 'user', summary: 'Pin a message in its room', params: MessageIdParams, response: MessageResponse, status: 200 }),
  unpinMessage: endpoint({ method: 'DELETE', path: '/api/v1/messages/:messageId/pin', access: 'user', summary: 'Unpin a message', params: MessageIdParams, response: MessageResponse, status: 200 }),
  listPins: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId/pins', access: 'user', summary: 'Pinned messages of a room, newest pin first', params: RoomIdParams, response: PinnedMessagesResponse, status: 200 }),
  messageReaders: endpoint({ method: 'GET', path: '/api/v1/messages/:messageId/readers', access: 'user', summary: 'Who has read a message, and when', params: MessageIdParams, response: MessageReadersResponse, status: 200 }),
  listMentions: endpoint({ method: 'GET', path: '/api/v1/mentions', access: 'user', summary: 'Messages that mention me, newest first', query: MentionListRequest, response: MentionListResponse, status: 200 }),
} as const;
