import type { Message } from '@enclave/protocol';
import type { Transaction } from 'kysely';
import type { Database, MessageRow } from '../db/schema';
import { AppError } from '../http/app-error';
import type { EventLog, LogAppender } from '../stream/event-log';
import { encodeBody } from './message-body.codec';
import { toWireMessage } from './message-wire';
import { countReplies, findByClientIds, insertMessages, replaceMentions, touchRooms } from './messages.repository';
import { announceUpdated } from './message-changes.service';

export interface MessageDraft {
  id: string;
  roomId: string;
  senderId: string;
  text: string;
  threadRootId: string | null;
  clientId: string | null;
  alsoInRoom: boolean;
  mentions: string[];
  mentionsAll: boolean;
  label: string;
}

interface Queued {
  draft: MessageDraft;
  resolve: (message: Message) => void;
  reject: (error: unknown) => void;
}

/** More than this waits for the next transaction, so one commit stays short. */
const MAX_BATCH = 500;

/**
 * Persists sends in batches: everything queued during one turn of the event loop is committed in a single
 * transaction (one fsync instead of one per message), then fanned out. Callers see one send, one promise.
 */
export class MessageWriter {
  private queue: Queued[] = [];
  private flushing = false;
  private scheduled = false;

  constructor(private readonly eventLog: EventLog) {}

  write(draft: MessageDraft): Promise<Message> {
    return new Promise((resolve, reject) => {
      this.queue.push({ draft, resolve, reject });
      this.schedule();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.flushing) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    const batch = this.queue.splice(0, MAX_BATCH);
    try {
      const outcomes = await this.eventLog.write(async (trx, log) => {
        const { fresh, outcomes, repeats } = await settleRetries(trx, batch);
        const first = fresh.length > 0 ? await log.reserve(fresh.length) : 0;
        const now = Date.now();
        const rows: MessageRow[] = fresh.map(({ draft }, index) => ({
          id: draft.id,
          room_id: draft.roomId,
          sender_id: draft.senderId,
          body: encodeBody(draft.text),
          thread_root_id: draft.threadRootId,
          client_id: draft.clientId,
          position: first + index,
          created_at: now,
          edited_at: null,
          deleted_at: null,
          reply_count: 0,
          last_reply_at: null,
          pinned_at: null,
          pinned_by: null,
          also_in_room: draft.alsoInRoom ? 1 : 0,
          mentions_all: draft.mentionsAll ? 1 : 0,
          label: draft.label,
          recalled_at: null,
        }));
        await insertMessages(trx, rows);
        for (const [index, row] of rows.entries()) await replaceMentions(trx, row, fresh[index]!.draft.mentions);
        await touchRooms(trx, [...new Set(rows.map((row) => row.room_id))], now);
        rows.forEach((row, index) => {
          const message = toWireMessage(row, { reactions: [], mentions: fresh[index]!.draft.mentions });
          log.announce(row.position, { roomId: row.room_id }, { type: 'message.created', message });
          outcomes.set(fresh[index]!, message);
        });
        await announceThreadRoots(trx, log, rows, now);
        for (const [repeat, first] of repeats) {
          const outcome = outcomeOfRepeat(repeat, outcomes.get(first));
          if (outcome) outcomes.set(repeat, outcome);
        }
        return outcomes;
      });
      for (const item of batch) {
        const outcome = outcomes.get(item);
        if (outcome instanceof AppError) item.reject(outcome);
        else if (outcome) item.resolve(outcome);
      }
    } catch (error) {
      for (const item of batch) item.reject(error);
    } finally {
      this.flushing = false;
      if (this.queue.length > 0) this.schedule();
    }
  }
}

/** Thread roots that got replies in this batch: their counts grow and every member sees the new count. */
async function announceThreadRoots(trx: Transaction<Database>, log: LogAppender, rows: readonly MessageRow[], now: number): Promise<void> {
  const replies = new Map<string, number>();
  for (const row of rows) if (row.thread_root_id) replies.set(row.thread_root_id, (replies.get(row.thread_root_id) ?? 0) + 1);
  for (const root of await countReplies(trx, replies, now)) await announceUpdated(trx, log, root.id);
}

/**
 * Splits a batch into new sends and retries. A retry (same sender and client id as a stored message, or as an
 * earlier send in this batch) gets the original message; reusing a client id for another room is refused.
 */
async function settleRetries(trx: Parameters<typeof findByClientIds>[0], batch: Queued[]) {
  const outcomes = new Map<Queued, Message | AppError>();
  const retriable = batch.filter((item) => item.draft.clientId !== null);
  const stored = await findByClientIds(
    trx,
    [...new Set(retriable.map((item) => item.draft.senderId))],
    [...new Set(retriable.map((item) => item.draft.clientId!))],
  );
  const known = new Map(stored.map((row) => [`${row.sender_id} ${row.client_id}`, toWireMessage(row)]));
  const firstInBatch = new Map<string, Queued>();
  const fresh: Queued[] = [];
  const repeats = new Map<Queued, Queued>();
  for (const item of batch) {
    const { clientId, senderId, roomId } = item.draft;
    const key = `${senderId} ${clientId}`;
    const original = clientId === null ? undefined : known.get(key);
    const earlier = clientId === null ? undefined : firstInBatch.get(key);
    if (original) outcomes.set(item, original.roomId === roomId ? original : new AppError('CLIENT_ID_REUSED'));
    else if (earlier) repeats.set(item, earlier);
    else {
      if (clientId !== null) firstInBatch.set(key, item);
      fresh.push(item);
    }
  }
  return { fresh, outcomes, repeats };
}

function outcomeOfRepeat(repeat: Queued, first: Message | AppError | undefined): Message | AppError | undefined {
  if (first instanceof AppError || first === undefined) return first;
  return first.roomId === repeat.draft.roomId ? first : new AppError('CLIENT_ID_REUSED');
}
