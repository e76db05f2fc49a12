import { Empty } from './auth';
import { RoomIdParams } from './rooms';
import { ScheduledMessageParams, ScheduledMessageResponse, ScheduledMessagesResponse, ScheduledMessageUpdateRequest, ScheduleMessageRequest } from './scheduled';
import { endpoint } from './endpoint';

export const scheduledEndpoints = {
  scheduleMessage: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/scheduled-messages', access: 'user', summary: 'Schedule a message for the server to send later as me', params: RoomIdParams, body: ScheduleMessageRequest, response: ScheduledMessageResponse, status: 201 }),
  listScheduledMessages: endpoint({ method: 'GET', path: '/api/v1/scheduled-messages', access: 'user', summary: 'My scheduled and failed messages, soonest first', response: ScheduledMessagesResponse, status: 200 }),
  updateScheduledMessage: endpoint({ method: 'PATCH', path: '/api/v1/scheduled-messages/:scheduledId', access: 'user', summary: 'Edit or reschedule my scheduled message', params: ScheduledMessageParams, body: ScheduledMessageUpdateRequest, response: ScheduledMessageResponse, status: 200 }),
  cancelScheduledMessage: endpoint({ method: 'DELETE', path: '/api/v1/scheduled-messages/:scheduledId', access: 'user', summary: 'Cancel my scheduled message, or dismiss a failed one', params: ScheduledMessageParams, response: Empty, status: 200 }),
} as const;
