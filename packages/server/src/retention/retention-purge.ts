import type { PurgeRunResponse } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import type { DialectName } from '../db/database';
import { runAlone } from '../db/job-lock';
import { reclaimAfterDeletion } from '../db/reclaim';
import type { WalCheckpoints } from '../db/wal-checkpoints';
import type { Database } from '../db/schema';
import type { EventLog } from '../events/event-log';
import type { FilesService } from '../files/files.service';
import { activeHoldScopes, holdingScope } from '../holds/holds.access';
import { fileKeyOwner, type Keyring } from '../keys/keyring';
import { deleteMessageRecords } from '../records/records-search.access';
import { unindexMessages } from '../search/search-index';
import { PurgeCounts, type RoomCount } from './purge-counts';
import { PurgePacer } from './purge-pacing';
import { clearUnaudited, eraseMessages, findUnaudited, purgeCandidates, saveUnaudited, type ErasedFile, type PurgeCandidateRow } from './purge.repository';
import { isDueForPurge, youngestPurgeAgeMs, type RetentionPolicies } from './retention-resolution';

/**
 * How often a long run writes its audit entry: the counts since the previous one, in the transaction of the batch
 * that crosses the mark. A run shorter than this writes one entry, with its last batch.
 */
const AUDIT_EVERY_MS = 5 * 60_000;

export interface RetentionPurgeDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  /** SQLite's write-ahead log, emptied once deletions have committed (db/reclaim.ts). */
  wal?: WalCheckpoints | undefined;
  eventLog: EventLog;
  files: FilesService;
  keys: Keyring;
  log: { warn: (details: object, message: string) => void };
}

/** A run's counts: all of it (the answer), and what no audit entry has recorded yet. */
interface RunState {
  actorId: string | null;
  ip: string | null;
  total: PurgeCounts;
  unaudited: PurgeCounts;
  lastAuditAt: number;
}

/**
 * The purge: erases the messages retention says are due (retention-resolution.ts) and no legal hold keeps, a batch
 * per transaction, sized and paced by purge-pacing.ts so that sends and fan-out go on. In each batch's transaction
 * the holds are read again (one placed during a run is obeyed from the next batch), the rows and their search
 * words go, one statement per table for the whole batch, the keys of files no message carries any more are
 * destroyed, and each room's members are told which messages went (`messages.purged`). The run is audited with
 * counts per room, never content: one entry in its last batch's transaction, and one every AUDIT_EVERY_MS before
 * that on a long run, each in the transaction of the erasures it counts. Between entries, each batch's transaction
 * also saves what the run has erased and not yet audited (`purge_unaudited`): a run whose node dies mid-run leaves
 * those counts behind, and the next run, on any node, audits them first, marked `interrupted`, so nothing erased
 * goes unrecorded. The files' bytes are removed after the
 * commit, and once a run has erased anything the database is asked to give up the deleted rows' pages
 * (db/reclaim.ts), as after a room's deletion.
 */
export class RetentionPurge {
  private running: Promise<PurgeRunResponse> | undefined;
  /** The counts of the run in progress so far. */
  private progressSoFar = new PurgeCounts();

  constructor(private readonly deps: RetentionPurgeDeps) {}

  /**
   * One run at a time per server: a second caller gets the run in progress. Across nodes sharing a database one
   * run at a time too (db/job-lock.ts): a node whose run would overlap another's waits for it, then erases what is
   * still due, so every message is erased and counted once.
   */
  run(policies: RetentionPolicies, actorId: string | null, ip: string | null): Promise<PurgeRunResponse> {
    this.running ??= runAlone(this.deps.db, this.deps.dialect, 'retention-purge', () => this.purgeAll(policies, actorId, ip)).finally(() => {
      this.running = undefined;
    });
    return this.running;
  }

  /** What the run in progress has erased so far. */
  progress(): PurgeRunResponse {
    return this.progressSoFar.summary(false);
  }

  private async purgeAll(policies: RetentionPolicies, actorId: string | null, ip: string | null): Promise<PurgeRunResponse> {
    await this.auditInterruptedRun();
    const now = Date.now();
    const run: RunState = { actorId, ip, total: new PurgeCounts(), unaudited: new PurgeCounts(), lastAuditAt: performance.now() };
    this.progressSoFar = run.total;
    const youngest = youngestPurgeAgeMs(policies);
    const pacer = new PurgePacer();
    let after = Number.isFinite(youngest) ? -1 : undefined;
    while (after !== undefined) {
      const startedAt = performance.now();
      const size = pacer.batchSize();
      const candidates = await purgeCandidates(this.deps.db, after, now - youngest, size);
      const last = candidates.length < size;
      const due = candidates.filter((message) => isDueForPurge(policies, message, now));
      const audit = last || startedAt - run.lastAuditAt >= AUDIT_EVERY_MS;
      if (due.length > 0 || (audit && run.unaudited.messages() > 0)) await this.purgeBatch(due, run, audit ? { finished: last } : undefined);
      after = last ? undefined : candidates[candidates.length - 1]!.position;
      if (after !== undefined) await pacer.standAside(performance.now() - startedAt, candidates.length);
    }
    if (run.total.rooms.size > 0) await this.reclaim();
    return run.total.summary(true);
  }

  /**
   * Audits what a run that stopped mid-run (its node died) erased and did not audit. Runs never overlap (`run`), so
   * counts found here belong to no run in progress.
   */
  private async auditInterruptedRun(): Promise<void> {
    if (!(await findUnaudited(this.deps.db))) return;
    await this.deps.db.transaction().execute(async (trx) => {
      const left = await findUnaudited(trx);
      if (!left) return;
      const counts = JSON.parse(left.counts) as PurgeRunResponse;
      await recordAudit(trx, { actorId: left.actor_id, action: 'retention.purged', data: { ...counts, finished: false, interrupted: true }, ip: left.ip });
      await clearUnaudited(trx);
    });
  }

  private async reclaim(): Promise<void> {
    try {
      await reclaimAfterDeletion(this.deps);
    } catch (error) {
      // The purge stands; only the tidying failed, and the next purge or room deletion tries again.
      this.deps.log.warn({ err: error }, 'reclaiming space after a retention purge failed');
    }
  }

  /**
   * Erases one batch's due messages that no hold keeps and, with `audit`, records what the run erased since its
   * last audit entry. The run's counts change only once the transaction has committed.
   */
  private async purgeBatch(due: readonly PurgeCandidateRow[], run: RunState, audit: { finished: boolean } | undefined): Promise<void> {
    const { keys } = this.deps;
    const { batch, kept, storageKeys, audited } = await this.deps.eventLog.write(async (trx, log) => {
      const holds = await activeHoldScopes(trx, keys);
      const erasable = due.filter((message) => holdingScope(holds, message) === undefined);
      const messageIds = erasable.map((message) => message.id);
      await unindexMessages(trx, erasable.map((message) => message.position));
      await deleteMessageRecords(trx, messageIds);
      const files = await eraseMessages(trx, messageIds);
      await keys.destroy(trx, files.map((file) => fileKeyOwner(file.id)));
      const { counts, erasedIds } = countByRoom(erasable, files);
      // The log and the audit chain come last: on PostgreSQL each takes a row lock every other writer queues on,
      // held until the commit, so they are taken when the rest of the batch's work is done.
      await log.appendAll([...erasedIds].map(([roomId, ids]) => ({ audience: { roomId }, event: { type: 'messages.purged', roomId, messageIds: ids } })));
      const unaudited = run.unaudited.plus(counts, due.length - erasable.length);
      const writeAudit = audit !== undefined && unaudited.messages() > 0;
      if (writeAudit) {
        await recordAudit(trx, { actorId: run.actorId, action: 'retention.purged', data: unaudited.summary(audit.finished), ip: run.ip });
        await clearUnaudited(trx);
      } else if (unaudited.messages() > 0) await saveUnaudited(trx, { counts: JSON.stringify(unaudited.summary(false)), actor_id: run.actorId, ip: run.ip });
      return { batch: counts, kept: due.length - erasable.length, storageKeys: files.map((file) => file.storage_key), audited: writeAudit };
    });
    await this.deps.files.removeStored(storageKeys);
    run.total = run.total.plus(batch, kept);
    this.progressSoFar = run.total;
    if (audited) {
      run.unaudited = new PurgeCounts();
      run.lastAuditAt = performance.now();
    } else run.unaudited = run.unaudited.plus(batch, kept);
  }
}

/** Per room, what a batch erased, and the ids of its erased messages (for the room's `messages.purged`). */
function countByRoom(erased: readonly PurgeCandidateRow[], files: readonly ErasedFile[]): { counts: Map<string, RoomCount>; erasedIds: Map<string, string[]> } {
  const counts = new Map<string, RoomCount>();
  const erasedIds = new Map<string, string[]>();
  const roomOf = new Map(erased.map((message) => [message.id, message.room_id]));
  for (const message of erased) {
    const count = counts.get(message.room_id) ?? { messages: 0, files: 0 };
    count.messages += 1;
    counts.set(message.room_id, count);
    const ids = erasedIds.get(message.room_id) ?? [];
    ids.push(message.id);
    erasedIds.set(message.room_id, ids);
  }
  for (const file of files) counts.get(roomOf.get(file.message_id)!)!.files += 1;
  return { counts, erasedIds };
}
