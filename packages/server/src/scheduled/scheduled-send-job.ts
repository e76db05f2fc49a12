import { errorMessages, type ErrorBody } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database, ScheduledMessageRow } from '../db/schema';
import type { EventLog } from '../events/event-log';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged } from '../keys/sealed';
import { bodyKeyOwners, decodeBody, scheduledPlace } from '../messages/message-body.codec';
import { restrictionsFromBits } from '../messages/message-restrictions';
import type { MessagesService } from '../messages/messages.service';
import type { Clock } from '../clock';
import { claimDue, deleteClaimed, dueIds, findScheduled, markFailed, nextDueAt } from './scheduled.repository';

/**
 * How long a node holds an item it claimed. A node that stops mid-send leaves the claim to run out; the next node
 * to look then sends it again, and the message's client id (`scheduled:<id>`) makes that second send answer with
 * the message the first one stored, if it got that far, instead of storing it twice.
 */
const CLAIM_MS = 5 * 60_000;
/**
 * The longest the job sleeps: an item scheduled through another node (or a claim that ran out) is found within
 * this even when this node's timer was armed for later.
 */
const RECHECK_MS = 60_000;
const BATCH = 50;

export interface ScheduledSendJobDeps {
  db: Kysely<Database>;
  messages: MessagesService;
  eventLog: EventLog;
  keys: Keyring;
  clock: Clock;
  log: { error: (details: object, message: string) => void };
}

/**
 * Sends scheduled messages when they are due, as their sender, through the same `sendMessage` as a message sent
 * now: membership, the room's state, labels and ceiling, the urgent policy, DLP rules and the send guard are all
 * judged at that moment, so a rule added after the message was scheduled still applies. The outcome is told to
 * the sender alone (`scheduled.settled`): sent (the item goes), held by a review rule (the item goes; the review
 * decides), or failed (the item stays, with the error and its text for the sender to restore).
 *
 * One timer per node, armed for the soonest due time (at most RECHECK_MS away) and re-armed whenever an item
 * changes; `start` also catches up on whatever fell due while no node was running. Each item is claimed by an
 * update only one node can win (scheduled.repository.ts `claimDue`), so it goes once however many nodes run.
 */
export class ScheduledSendJob {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(private readonly deps: ScheduledSendJobDeps) {}

  /** Catches up on what is overdue, then keeps the timer armed. */
  start(): void {
    this.stopped = false;
    void this.poke();
  }

  /**
   * Sends everything due now and re-arms the timer; resolves when that run is over. Runs one after another, so a
   * poke during a run waits for it and then looks again.
   */
  poke(): Promise<void> {
    this.running = this.running.then(() => this.runDue()).catch((error: unknown) => this.deps.log.error({ err: error }, 'scheduled sends failed to run'));
    return this.running;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
  }

  private async runDue(): Promise<void> {
    if (this.stopped) return;
    for (;;) {
      const now = this.deps.clock.now();
      const ids = await dueIds(this.deps.db, now, BATCH);
      for (const id of ids) if (!this.stopped && (await claimDue(this.deps.db, id, now, now + CLAIM_MS))) await this.sendClaimed(id);
      if (ids.length < BATCH || this.stopped) break;
    }
    await this.arm();
  }

  private async arm(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    if (this.stopped) return;
    const next = await nextDueAt(this.deps.db);
    const delay = next === undefined ? RECHECK_MS : Math.min(RECHECK_MS, Math.max(0, next - this.deps.clock.now()));
    this.timer = setTimeout(() => void this.poke(), delay);
    this.timer.unref();
  }

  private async sendClaimed(id: string): Promise<void> {
    const row = await findScheduled(this.deps.db, id);
    if (!row) return;
    try {
      const { text, urgentReason } = await this.opened(row);
      const message = await this.deps.messages.sendMessage({ userId: row.sender_id, ip: null }, row.room_id, {
        text,
        clientId: `scheduled:${row.id}`,
        ...(row.thread_root_id !== null ? { threadRootId: row.thread_root_id } : {}),
        ...(row.label !== null ? { label: row.label } : {}),
        restrictions: restrictionsFromBits(Number(row.restrictions)),
        ...(urgentReason !== null ? { urgent: true, urgentReason } : {}),
      });
      await this.settle(row, 'sent', message.id, null);
    } catch (error) {
      if (!(error instanceof AppError)) throw error;
      if (error.code === 'DLP_HELD_FOR_REVIEW') await this.settle(row, 'held', null, null);
      else await this.settle(row, 'failed', null, failureOf(error));
    }
  }

  /** The sealed text and reason; a damaged one fails the send (CONTENT_DAMAGED) rather than sending something else. */
  private async opened(row: ScheduledMessageRow): Promise<{ text: string; urgentReason: string | null }> {
    await this.deps.keys.ensure(this.deps.db, bodyKeyOwners([row.room_id]));
    try {
      const text = decodeBody(this.deps.keys, scheduledPlace(row.room_id, row.id), row.body);
      const urgentReason = row.urgent_reason === null ? null : decodeBody(this.deps.keys, scheduledPlace(row.room_id, row.id, 'urgent'), row.urgent_reason);
      return { text, urgentReason };
    } catch (error) {
      if (error instanceof ContentDamaged) throw new AppError('CONTENT_DAMAGED', { scheduledId: row.id });
      throw error;
    }
  }

  private async settle(row: ScheduledMessageRow, outcome: 'sent' | 'held' | 'failed', messageId: string | null, error: ErrorBody | null): Promise<void> {
    await this.deps.eventLog.write(async (trx, log) => {
      if (error === null) await deleteClaimed(trx, row.id);
      else await markFailed(trx, row.id, JSON.stringify(error), this.deps.clock.now());
      await log.append({ userId: row.sender_id }, { type: 'scheduled.settled', scheduledId: row.id, roomId: row.room_id, outcome, messageId, error });
    });
  }
}

/**
 * Why a scheduled send failed, as its sender is told and the item keeps it (stored unsealed): the code, its
 * message, and only the data that names no content: the rules that refused it, the guard's reasons, a wait.
 */
function failureOf(error: AppError): ErrorBody {
  const data = error.data ?? {};
  const kept = Object.fromEntries(Object.entries(data).filter(([key]) => key === 'rules' || key === 'reasons' || key === 'retryAfterSeconds' || key === 'label' || key === 'ceiling'));
  return { code: error.code, message: errorMessages.en[error.code], ...(Object.keys(kept).length > 0 ? { data: kept } : {}) };
}
