import type { PurgeRunResponse } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import type { DialectName } from '../db/database';
import { reclaimAfterRoomDeletion } from '../db/reclaim';
import type { Database } from '../db/schema';
import type { EventLog } from '../events/event-log';
import type { FilesService } from '../files/files.service';
import { activeHoldScopes, holdingScope } from '../holds/holds.access';
import { fileKeyOwner, type Keyring } from '../keys/keyring';
import { deleteMessageRecords } from '../records/records-search.access';
import { unindexMessages } from '../search/search-index';
import { eraseMessages, purgeCandidates, type PurgeCandidateRow } from './purge.repository';
import { isDueForPurge, youngestPurgeAgeMs, type RetentionPolicies } from './retention-resolution';

/**
 * Messages weighed per transaction. Erasing a message row costs about 0.2 ms (its four indexes, and SQLite's
 * secure_delete zeroing the freed space), and on SQLite the driver runs each statement on the event loop, so a
 * batch holds up every send and delivery for as long as it takes. With 100 a loaded machine's sends waited up to
 * 200 ms behind a batch and fan-out fell to an eighth; 25 keeps a batch to a few milliseconds. The price is one
 * audit entry per 25 messages erased.
 */
export const PURGE_BATCH = 25;
/**
 * After each batch the purge waits this many times as long as the batch took, so it uses at most a fifth of the
 * time and sends and fan-out keep the rest: a million messages take about twenty minutes on an idle machine.
 */
const PAUSE_PER_BATCH_TIME = 4;
const MIN_PAUSE_MS = 5;

export interface RetentionPurgeDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  eventLog: EventLog;
  files: FilesService;
  keys: Keyring;
  log: { warn: (details: object, message: string) => void };
}

interface RoomCount {
  messages: number;
  files: number;
}

/**
 * The purge: erases the messages retention says are due (retention-resolution.ts) and no legal hold keeps, a batch
 * of PURGE_BATCH per transaction, pausing between batches (PAUSE_PER_BATCH_TIME) so sends and fan-out go on. In each
 * batch's transaction the holds are read again (one placed during a run is obeyed from the next batch), the rows
 * and their search words go, the keys of files no message carries any more are destroyed, each room's members are
 * told which messages went (`messages.purged`), and an audit entry records the counts per room, never content.
 * The files' bytes are removed after the commit, and once a run has erased anything the database is asked to give
 * up the deleted rows' pages (db/reclaim.ts), as after a room's deletion.
 */
export class RetentionPurge {
  private running: Promise<PurgeRunResponse> | undefined;
  /** The counts of the run in progress so far. */
  private tally = { rooms: new Map<string, RoomCount>(), keptByHolds: 0 };

  constructor(private readonly deps: RetentionPurgeDeps) {}

  /** One run at a time per server: a second caller gets the run in progress. */
  run(policies: RetentionPolicies, actorId: string | null, ip: string | null): Promise<PurgeRunResponse> {
    this.running ??= this.purgeAll(policies, actorId, ip).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** What the run in progress has erased so far. */
  progress(): PurgeRunResponse {
    return summary(this.tally.rooms, this.tally.keptByHolds, false);
  }

  private async purgeAll(policies: RetentionPolicies, actorId: string | null, ip: string | null): Promise<PurgeRunResponse> {
    const now = Date.now();
    this.tally = { rooms: new Map<string, RoomCount>(), keptByHolds: 0 };
    const { rooms } = this.tally;
    const youngest = youngestPurgeAgeMs(policies);
    if (Number.isFinite(youngest)) {
      let after = -1;
      for (;;) {
        const startedAt = performance.now();
        const candidates = await purgeCandidates(this.deps.db, after, now - youngest, PURGE_BATCH);
        const due = candidates.filter((message) => isDueForPurge(policies, message, now));
        if (due.length > 0) this.tally.keptByHolds += await this.purgeBatch(due, rooms, actorId, ip);
        if (candidates.length < PURGE_BATCH) break;
        after = candidates[candidates.length - 1]!.position;
        const pause = Math.max(MIN_PAUSE_MS, (performance.now() - startedAt) * PAUSE_PER_BATCH_TIME);
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
    if (rooms.size > 0) await this.reclaim();
    return summary(rooms, this.tally.keptByHolds, true);
  }

  private async reclaim(): Promise<void> {
    try {
      await reclaimAfterRoomDeletion(this.deps.db, this.deps.dialect);
    } catch (error) {
      // The purge stands; only the tidying failed, and the next purge or room deletion tries again.
      this.deps.log.warn({ err: error }, 'reclaiming space after a retention purge failed');
    }
  }

  /** Erases one batch's due messages that no hold keeps; returns how many a hold kept. */
  private async purgeBatch(due: readonly PurgeCandidateRow[], totals: Map<string, RoomCount>, actorId: string | null, ip: string | null): Promise<number> {
    const { keys } = this.deps;
    const { kept, rooms, storageKeys } = await this.deps.eventLog.write(async (trx, log) => {
      const holds = await activeHoldScopes(trx, keys);
      const erasable = due.filter((message) => holdingScope(holds, message) === undefined);
      if (erasable.length === 0) return { kept: due.length, rooms: [], storageKeys: [] };
      await unindexMessages(trx, erasable.map((message) => message.position));
      await deleteMessageRecords(trx, erasable.map((message) => message.id));
      const files = await eraseMessages(trx, erasable.map((message) => message.id));
      await keys.destroy(trx, files.map((file) => fileKeyOwner(file.id)));
      const roomOf = new Map(erasable.map((message) => [message.id, message.room_id]));
      const batch = new Map<string, RoomCount & { messageIds: string[] }>();
      for (const message of erasable) {
        const count = batch.get(message.room_id) ?? { messages: 0, files: 0, messageIds: [] };
        count.messages += 1;
        count.messageIds.push(message.id);
        batch.set(message.room_id, count);
      }
      for (const file of files) batch.get(roomOf.get(file.message_id)!)!.files += 1;
      for (const [roomId, { messageIds }] of batch) await log.append({ roomId }, { type: 'messages.purged', roomId, messageIds });
      const rooms = [...batch.entries()].map(([roomId, { messages, files: fileCount }]) => ({ roomId, messages, files: fileCount }));
      const data = { messages: erasable.length, files: files.length, keptByHolds: due.length - erasable.length, rooms };
      await recordAudit(trx, { actorId, action: 'retention.purged', data, ip });
      return { kept: due.length - erasable.length, rooms, storageKeys: files.map((file) => file.storage_key) };
    });
    await this.deps.files.removeStored(storageKeys);
    for (const { roomId, messages, files } of rooms) {
      const total = totals.get(roomId) ?? { messages: 0, files: 0 };
      totals.set(roomId, { messages: total.messages + messages, files: total.files + files });
    }
    return kept;
  }
}

function summary(rooms: ReadonlyMap<string, RoomCount>, keptByHolds: number, finished: boolean): PurgeRunResponse {
  const counts = [...rooms.entries()].map(([roomId, count]) => ({ roomId, ...count }));
  return { finished, messages: sum(counts, 'messages'), files: sum(counts, 'files'), keptByHolds, rooms: counts };
}

function sum(counts: readonly { messages: number; files: number }[], field: 'messages' | 'files'): number {
  return counts.reduce((total, count) => total + count[field], 0);
}
