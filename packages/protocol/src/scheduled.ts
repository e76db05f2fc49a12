import { z } from 'zod';
import { Id, Timestamp } from './common';
import { ErrorBody } from './errors';
import { LabelId } from './labels';
import { MessageRestrictions, MessageText, UrgentReason } from './messages';

/**
 * A message its sender asked the server to send later. Only its sender ever sees it. The labels, the send guard,
 * DLP and the urgent policy are checked when it goes, as for a message sent then; `failed` keeps the text and the
 * reason so the sender can restore it to the composer.
 */
export const ScheduledMessage = z.object({
  id: Id,
  roomId: Id,
  text: z.string(),
  sendAt: Timestamp,
  threadRootId: Id.nullable(),
  /** The label asked for; null for the room's default label when it goes. */
  label: LabelId.nullable(),
  restrictions: MessageRestrictions,
  urgent: z.object({ reason: z.string() }).nullable(),
  status: z.enum(['pending', 'failed']),
  /** Why it did not go, when `failed`. */
  error: ErrorBody.nullable(),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type ScheduledMessage = z.infer<typeof ScheduledMessage>;

/** The furthest ahead a message may be scheduled. */
export const SCHEDULE_AHEAD_MAX_DAYS = 366;

export const ScheduleMessageRequest = z.object({
  text: MessageText,
  /** When the server sends it: in the future, at most SCHEDULE_AHEAD_MAX_DAYS ahead. */
  sendAt: Timestamp,
  threadRootId: Id.optional(),
  label: LabelId.optional(),
  restrictions: MessageRestrictions.partial().optional(),
  urgent: z.boolean().optional(),
  urgentReason: UrgentReason.optional(),
});
export type ScheduleMessageRequest = z.infer<typeof ScheduleMessageRequest>;

/** Edit the text, reschedule, or both; rescheduling a failed item makes it pending again. */
export const ScheduledMessageUpdateRequest = z
  .object({ text: MessageText.optional(), sendAt: Timestamp.optional() })
  .refine((v) => v.text !== undefined || v.sendAt !== undefined, 'nothing to change');
export const ScheduledMessageParams = z.object({ scheduledId: Id });
export const ScheduledMessageResponse = z.object({ scheduled: ScheduledMessage });
/** The actor's own scheduled and failed messages, soonest first. */
export const ScheduledMessagesResponse = z.object({ scheduled: z.array(ScheduledMessage) });
