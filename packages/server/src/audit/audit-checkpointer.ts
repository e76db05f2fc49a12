import type { AuditCheckpoint } from '@enclave/protocol';
import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { checkNextEntry, GENESIS_HASH } from './audit-chain';
import { signCheckpoint } from './audit-checkpoint';
import { appendCheckpoint } from './audit-checkpoint-file';
import { deleteCheckpoint, insertCheckpoint, lastEntry, latestCheckpoints } from './audit-checkpoints.repository';
import type { AuditSigningKey } from './audit-signing-key';
import { entriesInOrder } from './audit.repository';

/** How often the timer looks at the log's newest entry: one indexed single-row read, far from any send. */
const LOOK_EVERY_MS = 5_000;

export interface CheckpointSchedule {
  /** A checkpoint once this many entries were written since the last one... */
  everyEntries: number;
  /** ...or once this much time passed with at least one new entry, whichever comes first. */
  everyMs: number;
  /** The file outside the database each checkpoint is appended to. */
  file: string;
}

/**
 * Anchors the audit chain outside the database: signs the newest entry's hash with the audit key and stores the
 * checkpoint in `audit_checkpoints` and, fsynced, in the checkpoints file. It runs on its own timer and never
 * inside a sender's transaction, so sends do not wait for signing or fsync. Before signing it re-walks the chain
 * from the last checkpoint, so a chain someone already rewrote is never signed as good. Several servers may run
 * one each: the checkpoint's sequence number is its primary key, so one server wins each and only it writes the
 * line.
 */
export class AuditCheckpointer {
  /** The newest entry this process found linked to the genesis through the entries before it. */
  private verified: { seq: number; hash: string } | undefined;
  /** Checks run one at a time in a process, so the timer and a direct call never sign the same entry twice. */
  private queue: Promise<unknown> = Promise.resolve();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly key: AuditSigningKey,
    private readonly schedule: CheckpointSchedule,
    private readonly log: FastifyBaseLogger,
  ) {}

  get keyId(): string {
    return this.key.keyId;
  }

  get publicKeyPem(): string {
    return this.key.publicKeyPem;
  }

  get file(): string {
    return this.schedule.file;
  }

  /** Writes a checkpoint when one is due; returns it, or undefined when none was due or another server wrote it. */
  checkpointIfDue(now = Date.now()): Promise<AuditCheckpoint | undefined> {
    const run = this.queue.then(() => this.checkDue(now));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Looks every few seconds for as long as the server runs; the timer never keeps the process alive. */
  start(): { stop(): Promise<void> } {
    const timer = setInterval(() => {
      this.checkpointIfDue().catch((error: unknown) => this.log.error({ err: error }, 'writing an audit checkpoint failed'));
    }, LOOK_EVERY_MS);
    timer.unref();
    return {
      stop: async () => {
        clearInterval(timer);
        await this.queue;
      },
    };
  }

  async latest(limit: number): Promise<AuditCheckpoint[]> {
    const rows = await latestCheckpoints(this.db, limit);
    return rows.map((row) => ({ seq: row.seq, headHash: row.head_hash, at: new Date(row.at).toISOString(), keyId: row.key_id, signature: row.signature }));
  }

  private async checkDue(now: number): Promise<AuditCheckpoint | undefined> {
    const [last] = await latestCheckpoints(this.db, 1);
    const head = await lastEntry(this.db);
    if (!head || (last && head.seq <= last.seq)) return undefined;
    const due = !last || head.seq - last.seq >= this.schedule.everyEntries || now - last.at >= this.schedule.everyMs;
    if (!due) return undefined;
    if (!(await this.chainReaches(head, last && { seq: last.seq, hash: last.head_hash }))) return undefined;
    const checkpoint = signCheckpoint(this.key, { seq: head.seq, headHash: head.hash, at: now });
    const claimed = await insertCheckpoint(this.db, { seq: head.seq, head_hash: head.hash, at: now, key_id: checkpoint.keyId, signature: checkpoint.signature });
    if (!claimed) return undefined;
    try {
      await appendCheckpoint(this.schedule.file, checkpoint);
    } catch (error) {
      await deleteCheckpoint(this.db, head.seq);
      throw error;
    }
    return checkpoint;
  }

  /**
   * Whether the entries up to `head` link to what was checked before: this process's last walk, else the last
   * checkpoint, else the genesis. A break is logged and no checkpoint is written until someone looks.
   */
  private async chainReaches(head: { seq: number; hash: string }, lastCheckpoint: { seq: number; hash: string } | undefined): Promise<boolean> {
    const start = this.verified ?? lastCheckpoint ?? { seq: 0, hash: GENESIS_HASH };
    const state = { ...start };
    for await (const entry of entriesInOrder(this.db, start.seq)) {
      if (entry.seq > head.seq) break;
      const broken = checkNextEntry(entry, state);
      if (broken) {
        this.log.error({ seq: broken.seq, reason: broken.reason }, 'the audit chain is broken; no checkpoint is signed until `enclave audit verify` is run');
        return false;
      }
    }
    if (state.seq !== head.seq || state.hash !== head.hash) return false;
    this.verified = state;
    return true;
  }
}
