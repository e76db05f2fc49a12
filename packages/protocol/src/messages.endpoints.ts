import { MessageHistoryRequest, MessageHistoryResponse, MessageResponse, MessageSendRequest } from './messages';
import { RoomIdParams } from './rooms';
import { endpoint } from './endpoint';

export const messagesEndpoints = {
  sendMessage: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/messages', access: 'user', summary: 'Send a message', params: RoomIdParams, body: MessageSendRequest, response: MessageResponse, status: 201 }),
  listMessages: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId/messages', access: 'user', summary: 'History, newest first', params: RoomIdParams, query: MessageHistoryRequest, response: MessageHistoryResponse, status: 200 }),
} as const;
