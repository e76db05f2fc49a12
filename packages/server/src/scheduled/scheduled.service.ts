import { randomUUID } from 'node:crypto';
import { SCHEDULE_AHEAD_MAX_DAYS, type ScheduledMessage, type ScheduleMessageRequest } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database, ScheduledMessageRow } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import type { LabelsService } from '../labels/labels.service';
import { bodyKeyOwners, decodeBody, encodeBody, loadSealingKeys, scheduledPlace } from '../messages/message-body.codec';
import { restrictionsToBits } from '../messages/message-restrictions';
import { requireWithinCeiling } from '../protection/content-labels';
import type { RoomsService } from '../rooms/rooms.service';
import type { Clock } from '../clock';
import { deleteUnclaimed, findScheduledOfSender, insertScheduled, scheduledOfSender, updateUnclaimed } from './scheduled.repository';
import { toWireScheduled, type OpenedScheduled } from './scheduled-wire';

const DAY_MS = 86_400_000;

export interface ScheduledDeps {
  db: Kysely<Database>;
  rooms: RoomsService;
  labels: LabelsService;
  keys: Keyring;
  clock: Clock;
  /** Tells the send job that the soonest due time may have moved. */
  onChanged: () => void;
}

type Sender = Pick<Actor, 'userId'>;

/**
 * A person's scheduled messages: only their sender lists, edits, reschedules or cancels them (another person's id
 * answers SCHEDULED_MESSAGE_NOT_FOUND, like one that does not exist). What is checked here is only what cannot wait
 * (the room can be written to, the label fits it, an urgent send has a reason); everything a send is judged by is
 * judged again when it goes (scheduled-send-job.ts). The text is sealed under the room's key like a message's.
 */
export class ScheduledService {
  constructor(private readonly deps: ScheduledDeps) {}

  async schedule(actor: Sender, roomId: string, input: ScheduleMessageRequest): Promise<ScheduledMessage> {
    const room = await this.deps.rooms.requireRoomAccess(actor, roomId, 'write');
    const sendAt = this.checkSendAt(input.sendAt);
    if (input.label !== undefined) requireWithinCeiling(await this.deps.labels.ranks(), { label: input.label }, room.ceiling);
    const urgentReason = input.urgent === true ? requireUrgentReason(input.urgentReason) : null;
    const id = randomUUID();
    const now = this.deps.clock.now();
    await loadSealingKeys(this.deps.db, this.deps.keys, [room.id]);
    const row: ScheduledMessageRow = {
      id,
      room_id: room.id,
      sender_id: actor.userId,
      body: encodeBody(this.deps.keys, scheduledPlace(room.id, id), input.text),
      send_at: sendAt,
      thread_root_id: input.threadRootId ?? null,
      label: input.label ?? null,
      restrictions: restrictionsToBits(input.restrictions ?? {}),
      urgent_reason: urgentReason === null ? null : encodeBody(this.deps.keys, scheduledPlace(room.id, id, 'urgent'), urgentReason),
      status: 'pending',
      claimed_until: null,
      error: null,
      created_at: now,
      updated_at: now,
    };
    await insertScheduled(this.deps.db, row);
    this.deps.onChanged();
    return toWireScheduled(row, { text: input.text, urgentReason });
  }

  async list(actor: Sender): Promise<ScheduledMessage[]> {
    const rows = await scheduledOfSender(this.deps.db, actor.userId);
    await this.deps.keys.ensure(this.deps.db, bodyKeyOwners(rows.map((row) => row.room_id)));
    return rows.map((row) => toWireScheduled(row, openedOrEmpty(this.deps.keys, row)));
  }

  /** Edits the text or the time; a new time puts a failed item back in line. Not once a node has begun sending it. */
  async update(actor: Sender, id: string, changes: { text?: string | undefined; sendAt?: string | undefined }): Promise<ScheduledMessage> {
    const row = await this.requireOwn(actor, id);
    const now = this.deps.clock.now();
    const update: Parameters<typeof updateUnclaimed>[3] = { updated_at: now };
    if (changes.text !== undefined) {
      await loadSealingKeys(this.deps.db, this.deps.keys, [row.room_id]);
      update.body = encodeBody(this.deps.keys, scheduledPlace(row.room_id, row.id), changes.text);
    }
    if (changes.sendAt !== undefined) Object.assign(update, { send_at: this.checkSendAt(changes.sendAt), status: 'pending', error: null });
    if (!(await updateUnclaimed(this.deps.db, id, actor.userId, update))) throw new AppError('SCHEDULED_MESSAGE_SENDING');
    this.deps.onChanged();
    const updated = await this.requireOwn(actor, id);
    await this.deps.keys.ensure(this.deps.db, bodyKeyOwners([updated.room_id]));
    return toWireScheduled(updated, openedOrEmpty(this.deps.keys, updated));
  }

  /** Cancels a pending item or dismisses a failed one; its text goes with the row. */
  async cancel(actor: Sender, id: string): Promise<void> {
    await this.requireOwn(actor, id);
    if (!(await deleteUnclaimed(this.deps.db, id, actor.userId))) throw new AppError('SCHEDULED_MESSAGE_SENDING');
  }

  private async requireOwn(actor: Sender, id: string): Promise<ScheduledMessageRow> {
    const row = await findScheduledOfSender(this.deps.db, id, actor.userId);
    if (!row) throw new AppError('SCHEDULED_MESSAGE_NOT_FOUND');
    if (row.status === 'sending') throw new AppError('SCHEDULED_MESSAGE_SENDING');
    return row;
  }

  /** A send time in the future, at most SCHEDULE_AHEAD_MAX_DAYS ahead, as milliseconds. */
  private checkSendAt(sendAt: string): number {
    const at = Date.parse(sendAt);
    const now = this.deps.clock.now();
    if (at <= now) throw invalidSendAt('must be in the future');
    if (at > now + SCHEDULE_AHEAD_MAX_DAYS * DAY_MS) throw invalidSendAt(`at most ${SCHEDULE_AHEAD_MAX_DAYS} days ahead`);
    return at;
  }
}

/** A damaged text or reason shows empty: the sender can still cancel the item, and sending it fails. */
function openedOrEmpty(keys: Keyring, row: ScheduledMessageRow): OpenedScheduled {
  const open = (part: 'text' | 'urgent', stored: string): string => {
    try {
      return decodeBody(keys, scheduledPlace(row.room_id, row.id, part), stored);
    } catch (error) {
      if (error instanceof ContentDamaged) return '';
      throw error;
    }
  };
  return { text: open('text', row.body), urgentReason: row.urgent_reason === null ? null : open('urgent', row.urgent_reason) };
}

function requireUrgentReason(reason: string | undefined): string {
  const written = reason?.trim() ?? '';
  if (written.length === 0) throw new AppError('URGENT_REASON_REQUIRED');
  return written;
}

function invalidSendAt(message: string): AppError {
  return new AppError('VALIDATION_FAILED', { issues: [{ path: 'sendAt', message }] });
}
