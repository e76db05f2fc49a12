import type { CopyProvenance, ForwardProvenance, Message, MessageRestrictions } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Database, MessageRow } from '../db/schema';
import { recordAudit, type AuditEvent } from '../audit/audit.service';
import type { AttachedFile } from '../files/file-wire';
import { claimUploads, insertAttachments } from '../files/files.access';
import { AppError } from '../http/app-error';
import type { EventLog, LogAppender } from '../events/event-log';
import type { Keyring } from '../keys/keyring';
import { encodeBody, loadSealingKeys, messagePlace, urgentReasonPlace } from './message-body.codec';
import { announceUpdated } from './message-events';
import { hydrateMessages } from './message-hydrate';
import { restrictionsToBits } from './message-restrictions';
import { toWireMessage } from './message-wire';
import { countReplies, findByClientIds, insertMentions, insertMessages, touchRooms } from './messages.repository';
import { indexMessages, messageTerms } from '../search/search-index';
import type { IndexTerm } from '../search/search-terms';
import { guestsAmong } from '../users/users.access';
import { insertFingerprints, type FingerprintRecord } from '../provenance/provenance.access';
import type { CpuWorkPool } from '../worker-pool/cpu-work-pool';

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
  restrictions: Partial<MessageRestrictions>;
  forwardedFrom: ForwardProvenance | null;
  /** The labelled item its text copies, whose label it took (provenance/). */
  copiedFrom: CopyProvenance | null;
  /** Its fingerprint, stored with it; null when there is nothing to remember (provenance/). */
  fingerprint: FingerprintRecord | null;
  /** The files it carries, in order. */
  files: readonly AttachedFile[];
  /**
   * A send's files are the sender's pending uploads, claimed in this transaction (FILE_NOT_ATTACHABLE when one was
   * taken meanwhile); a forward's are already carried by the original.
   */
  claimsUploads: boolean;
  /** The sender's reason when it goes urgent (through quiet hours); null for an ordinary message. */
  urgentReason: string | null;
  /** Audit entries that must commit with the message (a forward, a release from review). */
  audit?: AuditEvent[];
}

interface Queued {
  draft: MessageDraft;
  /** The terms search will find it by, found from the moment it is queued (on the CPU work pool when long). */
  terms: Promise<IndexTerm[]>;
  resolve: (message: Message) => void;
  reject: (error: unknown) => void;
}

/**
 * Counts a batch's sends for a report that holds counts only (work-hours/after-hours-counter.ts, wired in app.ts):
 * called with the batch's senders before the transaction, to load what it needs there, it answers the function that
 * counts the stored sends (one sender id per message) inside the transaction, so the counts commit with them.
 */
export type SendCounting = (senderIds: readonly string[]) => Promise<(trx: Transaction<Database>, storedSenderIds: readonly string[]) => Promise<void>>;

/** Told of each committed batch, for the metrics: how many sends it held and how long its transaction took. */
export type BatchObserver = (size: number, commitSeconds: number) => void;

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

  constructor(
    private readonly db: Kysely<Database>,
    private readonly eventLog: EventLog,
    private readonly work: CpuWorkPool,
    private readonly keys: Keyring,
    private readonly countSends: SendCounting,
    private readonly observeBatch?: BatchObserver,
  ) {}

  write(draft: MessageDraft): Promise<Message> {
    const terms = messageTerms(this.work, this.keys, { text: draft.text, files: draft.files.map((file) => ({ name: file.info.name, text: file.text })) });
    // The flush that awaits it reports a failure to the sender; until then it must not count as unhandled.
    terms.catch(() => undefined);
    return new Promise((resolve, reject) => {
      this.queue.push({ draft, terms, resolve, reject });
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
      // Positions follow the queue's order, so a batch waits for the search terms of all its messages, and it does
      // so before its transaction: nothing is tokenised or hashed while the one SQLite writer is held.
      const terms = new Map(await Promise.all(batch.map(async (item) => [item, await item.terms] as const)));
      const bodies = await this.seal(batch);
      const recordSends = await this.countSends(batch.map((item) => item.draft.senderId));
      const started = performance.now();
      const outcomes = await this.eventLog.write(async (trx, log) => {
        const now = Date.now();
        const { fresh: sends, outcomes, repeats } = await settleRetries(trx, this.keys, batch);
        const fresh = await claimFiles(trx, sends, outcomes, now);
        const first = fresh.length > 0 ? await log.reserve(fresh.length) : 0;
        // Read with the write, so the flag is the sender's role when the message was stored.
        const guests = await guestsAmong(trx, fresh.map(({ draft }) => draft.senderId));
        const rows: MessageRow[] = fresh.map(({ draft }, index) => ({
          id: draft.id,
          room_id: draft.roomId,
          sender_id: draft.senderId,
          body: bodies.get(draft.id)!,
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
          restrictions: restrictionsToBits(draft.restrictions),
          forwarded_from: draft.forwardedFrom === null ? null : JSON.stringify(draft.forwardedFrom),
          sender_guest: guests.has(draft.senderId) ? 1 : 0,
          hidden_at: null,
          copied_from: draft.copiedFrom === null ? null : JSON.stringify(draft.copiedFrom),
          urgent_reason: draft.urgentReason === null ? null : encodeBody(this.keys, urgentReasonPlace(draft.roomId, draft.id), draft.urgentReason),
        }));
        await insertMessages(trx, rows);
        await insertAttachments(
          trx,
          rows.flatMap((row, index) => fresh[index]!.draft.files.map((file, position) => ({ message_id: row.id, file_id: file.info.id, position }))),
        );
        await indexMessages(
          trx,
          rows.map((row, index) => ({ position: row.position, terms: terms.get(fresh[index]!)! })),
        );
        await insertMentions(trx, rows.map((row, index) => ({ message: row, userIds: fresh[index]!.draft.mentions })));
        await insertFingerprints(trx, fresh.flatMap(({ draft: { fingerprint } }) => (fingerprint ? [{ ...fingerprint, row: { ...fingerprint.row, created_at: now } }] : [])));
        for (const { draft } of fresh) for (const entry of draft.audit ?? []) await recordAudit(trx, entry);
        await touchRooms(trx, [...new Set(rows.map((row) => row.room_id))], now);
        await recordSends(trx, rows.map((row) => row.sender_id));
        rows.forEach((row, index) => {
          const { mentions, files, urgentReason } = fresh[index]!.draft;
          const message = toWireMessage(row, fresh[index]!.draft.text, { reactions: [], mentions, files: files.map((file) => file.info), ...(urgentReason === null ? {} : { urgentReason }) });
          log.announce(row.position, { roomId: row.room_id }, { type: 'message.created', message });
          outcomes.set(fresh[index]!, message);
        });
        await announceThreadRoots(trx, log, this.keys, rows, now);
        for (const [repeat, first] of repeats) {
          const outcome = outcomeOfRepeat(repeat, outcomes.get(first));
          if (outcome) outcomes.set(repeat, outcome);
        }
        return outcomes;
      });
      this.observeBatch?.(batch.length, (performance.now() - started) / 1000);
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

  /**
   * Each message's text as stored, by message id, sealed before the transaction (synchronous AES-GCM with the
   * room's cached key); a room's first message creates its key here.
   */
  private async seal(batch: readonly Queued[]): Promise<Map<string, string>> {
    await loadSealingKeys(this.db, this.keys, batch.map((item) => item.draft.roomId));
    return new Map(batch.map(({ draft }) => [draft.id, encodeBody(this.keys, messagePlace(draft.roomId, draft.id), draft.text)]));
  }
}

/**
 * Claims the uploads of new sends, in batch order; a send whose uploads another message took meanwhile (another
 * send in this batch, or on another node) fails alone with FILE_NOT_ATTACHABLE. Returns the sends that go ahead.
 */
async function claimFiles(trx: Transaction<Database>, fresh: Queued[], outcomes: Map<Queued, Message | AppError>, now: number): Promise<Queued[]> {
  const ahead: Queued[] = [];
  for (const item of fresh) {
    const { draft } = item;
    const fileIds = draft.files.map((file) => file.info.id);
    if (draft.claimsUploads && fileIds.length > 0 && !(await claimUploads(trx, { fileIds, uploaderId: draft.senderId, roomId: draft.roomId, at: now }))) {
      outcomes.set(item, new AppError('FILE_NOT_ATTACHABLE', { fileIds }));
    } else {
      ahead.push(item);
    }
  }
  return ahead;
}

/** Thread roots that got replies in this batch: their counts grow and every member sees the new count. */
async function announceThreadRoots(trx: Transaction<Database>, log: LogAppender, keys: Keyring, rows: readonly MessageRow[], now: number): Promise<void> {
  const replies = new Map<string, number>();
  for (const row of rows) if (row.thread_root_id) replies.set(row.thread_root_id, (replies.get(row.thread_root_id) ?? 0) + 1);
  for (const root of await countReplies(trx, replies, now)) await announceUpdated(trx, log, keys, root.id);
}

/**
 * Splits a batch into new sends and retries. A retry (same sender and client id as a stored message, or as an
 * earlier send in this batch) gets the original message; reusing a client id for another room is refused.
 */
async function settleRetries(trx: Parameters<typeof findByClientIds>[0], keys: Keyring, batch: Queued[]) {
  const outcomes = new Map<Queued, Message | AppError>();
  const retriable = batch.filter((item) => item.draft.clientId !== null);
  const stored = await findByClientIds(trx, retriable.map((item) => ({ senderId: item.draft.senderId, clientId: item.draft.clientId! })));
  const known = new Map((await hydrateMessages(trx, keys, stored)).map((message) => [`${message.senderId} ${message.clientId}`, message]));
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
