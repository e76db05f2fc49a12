import type { ForwardingPolicy, ForwardProvenance, MessageRestrictions } from '@enclave/protocol';
import type { MessageRow } from '../db/schema';
import { AppError } from '../http/app-error';

/**
 * Whether a message may be forwarded into `target`: its own restriction first, then the stricter of its label's
 * and its room's policy. The ceiling check (a forward never lowers a label) is the caller's, as for any send.
 */
export function checkForwardAllowed(input: {
  restrictions: MessageRestrictions;
  labelPolicy: ForwardingPolicy;
  roomPolicy: ForwardingPolicy;
  target: { guest_count: number | string };
}): void {
  if (input.restrictions.noForward) throw new AppError('FORWARD_NOT_ALLOWED', { reason: 'message' });
  const policies = [input.labelPolicy, input.roomPolicy];
  if (policies.includes('never')) throw new AppError('FORWARD_NOT_ALLOWED', { reason: input.labelPolicy === 'never' ? 'label' : 'room' });
  if (policies.includes('internal') && Number(input.target.guest_count) > 0) throw new AppError('FORWARD_NOT_ALLOWED', { reason: 'guests' });
}

/** Where a forward comes from; a forward of a forward points at the first original. */
export function provenanceOf(source: MessageRow): ForwardProvenance {
  if (source.forwarded_from !== null) return JSON.parse(source.forwarded_from) as ForwardProvenance;
  return { messageId: source.id, roomId: source.room_id, senderId: source.sender_id, createdAt: new Date(Number(source.created_at)).toISOString(), label: source.label };
}
