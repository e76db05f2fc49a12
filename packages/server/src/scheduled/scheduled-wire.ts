import type { ErrorBody, ScheduledMessage } from '@enclave/protocol';
import type { ScheduledMessageRow } from '../db/schema';
import { restrictionsFromBits } from '../messages/message-restrictions';

/** What a scheduled row holds sealed, opened. */
export interface OpenedScheduled {
  text: string;
  urgentReason: string | null;
}

/** A stored scheduled item as its sender sees it, with its opened text and urgent reason. */
export function toWireScheduled(row: ScheduledMessageRow, { text, urgentReason }: OpenedScheduled): ScheduledMessage {
  return {
    id: row.id,
    roomId: row.room_id,
    text,
    sendAt: new Date(Number(row.send_at)).toISOString(),
    threadRootId: row.thread_root_id,
    label: row.label,
    restrictions: restrictionsFromBits(Number(row.restrictions)),
    urgent: urgentReason === null ? null : { reason: urgentReason },
    // A claimed item is still the sender's pending one until it settles.
    status: row.status === 'failed' ? 'failed' : 'pending',
    error: row.error === null ? null : (JSON.parse(row.error) as ErrorBody),
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}
