import type { PurgeRunResponse, RetentionPolicy, RetentionScope } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { LabelsService } from '../labels/labels.service';
import { findRoom } from '../rooms/rooms.access';
import type { RetentionPurge } from './retention-purge';
import type { PolicyTerms, RetentionPolicies } from './retention-resolution';
import { deletePolicyRow, listPolicyRows, upsertPolicyRow, type RetentionPolicyRow } from './retention.repository';

export interface RetentionDeps {
  db: Kysely<Database>;
  labels: LabelsService;
  purge: RetentionPurge;
  log: { error: (details: object, message: string) => void };
}

/** Under the server's default idle timeout of 30 s, so a long purge's request is answered rather than cut. */
const ANSWER_WITHIN_MS = 20_000;

type PolicyInput = { scope: RetentionScope; targetId?: string | undefined; deleteAfterDays: number | null; keepAtLeastDays: number | null };

/**
 * Retention policies (the organisation default, per room, per label) and the purge that applies them, on demand
 * and on an interval. Changing a policy is audited; so is every purge run, with counts (retention-purge.ts).
 */
export class RetentionService {
  constructor(private readonly deps: RetentionDeps) {}

  async list(): Promise<RetentionPolicy[]> {
    return (await listPolicyRows(this.deps.db)).map(toWirePolicy);
  }

  async set(actor: Actor, input: PolicyInput): Promise<RetentionPolicy> {
    await this.requireTarget(input.scope, input.targetId);
    const row: RetentionPolicyRow = {
      scope: input.scope,
      target_id: input.targetId ?? '',
      delete_after_days: input.deleteAfterDays,
      keep_at_least_days: input.keepAtLeastDays,
      updated_at: Date.now(),
      updated_by: actor.userId,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      await upsertPolicyRow(trx, row);
      const data = { scope: row.scope, targetId: input.targetId ?? null, deleteAfterDays: row.delete_after_days, keepAtLeastDays: row.keep_at_least_days };
      await recordAudit(trx, { actorId: actor.userId, action: 'retention.policy_set', target: { type: 'retention_policy', id: policyId(row) }, data, ip: actor.ip });
    });
    return toWirePolicy(row);
  }

  async remove(actor: Actor, target: { scope: RetentionScope; targetId?: string | undefined }): Promise<RetentionPolicy[]> {
    const targetId = target.targetId ?? '';
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await deletePolicyRow(trx, target.scope, targetId))) return;
      await recordAudit(trx, { actorId: actor.userId, action: 'retention.policy_removed', target: { type: 'retention_policy', id: policyId({ scope: target.scope, target_id: targetId }) }, data: { scope: target.scope, targetId: target.targetId ?? null }, ip: actor.ip });
    });
    return this.list();
  }

  /**
   * The officer's "purge now": the same run the interval starts, audited as theirs. It answers when the run ends or
   * after ANSWER_WITHIN_MS with the counts so far (`finished: false`), before the connection's idle timeout would
   * cut the request; the run goes on, and asking again waits for it.
   */
  async purgeNow(actor: Actor): Promise<PurgeRunResponse> {
    const run = this.deps.purge.run(await this.policies(), actor.userId, actor.ip);
    let timer: NodeJS.Timeout | undefined;
    const later = new Promise<PurgeRunResponse>((resolve) => {
      timer = setTimeout(() => resolve(this.deps.purge.progress()), ANSWER_WITHIN_MS);
    });
    try {
      return await Promise.race([run, later]);
    } finally {
      clearTimeout(timer);
    }
  }

  /** Runs the purge every `intervalMinutes` (never with 0) for as long as the server runs; the timer never keeps the process alive. */
  startSchedule(intervalMinutes: number): { stop(): void } {
    if (intervalMinutes === 0) return { stop: () => undefined };
    const timer = setInterval(() => {
      void this.policies()
        .then((policies) => this.deps.purge.run(policies, null, null))
        .catch((error: unknown) => this.deps.log.error({ err: error }, 'the retention purge failed'));
    }, intervalMinutes * 60_000);
    timer.unref();
    return { stop: () => clearInterval(timer) };
  }

  private async policies(): Promise<RetentionPolicies> {
    const rows = await listPolicyRows(this.deps.db);
    const terms = (row: RetentionPolicyRow): PolicyTerms => ({ deleteAfterDays: row.delete_after_days, keepAtLeastDays: row.keep_at_least_days });
    const of = (scope: RetentionScope) => new Map(rows.filter((row) => row.scope === scope).map((row) => [row.target_id, terms(row)]));
    const organisation = rows.find((row) => row.scope === 'organisation');
    return { organisation: organisation ? terms(organisation) : undefined, rooms: of('room'), labels: of('label') };
  }

  private async requireTarget(scope: RetentionScope, targetId: string | undefined): Promise<void> {
    if (scope === 'room' && !(await findRoom(this.deps.db, targetId!))) throw new AppError('ROOM_NOT_FOUND');
    if (scope === 'label' && !(await this.deps.labels.list()).some((label) => label.id === targetId)) throw new AppError('LABEL_NOT_FOUND');
  }
}

function policyId(row: Pick<RetentionPolicyRow, 'scope' | 'target_id'>): string {
  return row.target_id === '' ? row.scope : `${row.scope}:${row.target_id}`;
}

function toWirePolicy(row: RetentionPolicyRow): RetentionPolicy {
  return {
    scope: row.scope,
    targetId: row.target_id === '' ? null : row.target_id,
    deleteAfterDays: row.delete_after_days === null ? null : Number(row.delete_after_days),
    keepAtLeastDays: row.keep_at_least_days === null ? null : Number(row.keep_at_least_days),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
    updatedBy: row.updated_by,
  };
}
