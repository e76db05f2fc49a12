import type { Message } from '@enclave/protocol';
import type { MessageRow } from '../db/schema';
import { decodeBody } from './message-body.codec';

export function toWireMessage(row: MessageRow): Message {
  return {
    id: row.id,
    roomId: row.room_id,
    senderId: row.sender_id,
    text: decodeBody(row.body),
    threadRootId: row.thread_root_id,
    clientId: row.client_id,
    position: Number(row.position),
    createdAt: new Date(Number(row.created_at)).toISOString(),
  };
}
