import { randomUUID } from 'node:crypto';
import type { DlpDetector, DlpRule, DlpScope } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { ApprovalRow, ApprovalsService, Decide } from '../approvals/approvals.service';
import { findRoom } from '../rooms/rooms.access';
import { reasonsForSecondApprover } from './rule-breadth';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { LabelsService } from '../labels/labels.service';
import { NodeCache, type SharedCaches } from '../node-cache';
import type { RoomAudience } from '../protection/room-audience';
import type { CpuWorkPool } from '../worker-pool/cpu-work-pool';
import { compileDetector, DetectorCompileError, type Detector } from './detectors';
import { DlpRuleSet, type DlpFinding } from './dlp-rule-set';
import { RecentTexts } from './recent-texts';
import { deleteRule, findRuleRow, insertRule, listRuleRows, ruleSetVersion, updateRule, type DlpRuleRow } from './dlp.repository';


function toWireRule(row: DlpRuleRow): DlpRule {
  return {
    id: row.id,
    name: row.name,
    detector: JSON.parse(row.detector) as DlpDetector,
    scope: JSON.parse(row.scope) as DlpScope,
    action: row.action,
    raisesLabelTo: row.raises_label_to,
    enabled: Number(row.enabled) === 1,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    updatedAt: new Date(Number(row.updated_at)).toISOString(),
  };
}

/** A detector as the admin wrote it, compiled, or DLP_PATTERN_INVALID naming what is wrong. */
function compileOrRefuse(detector: DlpDetector): Detector {
  try {
    return compileDetector(detector);
  } catch (error) {
    if (error instanceof DetectorCompileError) throw new AppError('DLP_PATTERN_INVALID', { reason: error.message });
    throw error;
  }
}

export type RuleInput = Pick<DlpRule, 'name' | 'detector' | 'scope' | 'action' | 'raisesLabelTo' | 'enabled'>;

/** Data-loss-prevention rules: the admin's CRUD, and the compiled set every send is scanned with. */
export class DlpService {
  /**
   * The enabled rules, compiled, so scanning a message costs no query. Every 10 s a one-row query asks whether any
   * rule changed (on another node: a change here clears the cache at once); only then are they read and compiled
   * again, which takes tens of milliseconds of blocked event loop with many keyword lists.
   */
  private readonly compiled = new NodeCache(
    10_000,
    async () => {
      const rows = await listRuleRows(this.db, { enabledOnly: true });
      return new DlpRuleSet(
        rows.map((row) => {
          const rule = toWireRule(row);
          return {
            ref: { id: rule.id, name: rule.name, action: rule.action },
            scope: rule.scope,
            detector: compileDetector(rule.detector),
            definition: rule.detector,
            raisesLabelTo: rule.raisesLabelTo,
          };
        }),
      );
    },
    () => ruleSetVersion(this.db),
  );

  /** Each sender's last messages per room, for numbers split over several of them. */
  private readonly recentTexts = new RecentTexts();

  constructor(
    private readonly db: Kysely<Database>,
    private readonly labels: LabelsService,
    private readonly approvals: ApprovalsService,
    caches: SharedCaches,
  ) {
    caches.share('dlp-rules', this.compiled);
    approvals.handle('dlp-rule', {
      // Any compliance officer or admin but the requester (ApprovalsService refuses the requester whatever the kind).
      mayDecide: async (actor) => actor.role === 'compliance' || actor.role === 'admin',
      apply: (approver, approval, decide) => this.applyApproved(approver, approval, decide),
    });
  }

  ruleSet(): Promise<DlpRuleSet> {
    return this.compiled.get();
  }

  /**
   * What a new message completes with the sender's messages just before it in the room: a number split over them.
   * Undefined when the joined text could not be scanned, as for `DlpRuleSet.scan`.
   */
  scanAfterRecent(rules: DlpRuleSet, senderId: string, roomId: string, text: string, audience: RoomAudience, work: CpuWorkPool): Promise<DlpFinding[] | undefined> {
    return rules.scanAfter(this.recentTexts.earlier(senderId, roomId), text, audience, work);
  }

  /** A message that went out, for joining with the sender's next ones. */
  rememberSent(senderId: string, roomId: string, text: string): void {
    this.recentTexts.remember(senderId, roomId, text);
  }

  async list(): Promise<DlpRule[]> {
    return (await listRuleRows(this.db)).map(toWireRule);
  }

  /** Adds a rule; a review rule that sees everything or one conversation waits for a second approver. */
  async create(actor: Actor, input: RuleInput): Promise<DlpRule> {
    await this.checkRule(input);
    await this.requireSecondApproverIfNeeded(actor, null, input);
    return this.insert(actor, input);
  }

  private async insert(actor: Pick<Actor, 'userId' | 'ip'>, input: RuleInput, alsoInTransaction?: Decide): Promise<DlpRule> {
    const now = Date.now();
    const id = randomUUID();
    await this.db.transaction().execute(async (trx) => {
      await insertRule(trx, {
        id,
        name: input.name,
        detector: JSON.stringify(input.detector),
        scope: JSON.stringify(input.scope),
        action: input.action,
        raises_label_to: input.raisesLabelTo,
        enabled: input.enabled ? 1 : 0,
        created_by: actor.userId,
        created_at: now,
        updated_at: now,
      });
      // The detector is recorded too: a keyword list or pattern is policy, not a secret that was matched.
      await recordAudit(trx, { actorId: actor.userId, action: 'dlp.rule_created', target: { type: 'dlp_rule', id }, data: { ...input }, ip: actor.ip });
      await alsoInTransaction?.(trx, id);
    });
    this.compiled.clear();
    return toWireRule((await findRuleRow(this.db, id))!);
  }

  /** Changes a rule; changing it into a review rule that sees everything or one conversation waits for a second approver. */
  async update(actor: Actor, id: string, changes: Partial<RuleInput>): Promise<DlpRule> {
    const row = await findRuleRow(this.db, id);
    if (!row) throw new AppError('DLP_RULE_NOT_FOUND');
    const after = { ...toWireRule(row), ...stripUndefined(changes) };
    await this.checkRule(after);
    await this.requireSecondApproverIfNeeded(actor, id, after);
    return this.write(actor, id, changes);
  }

  private async write(actor: Pick<Actor, 'userId' | 'ip'>, id: string, changes: Partial<RuleInput>, alsoInTransaction?: (trx: Transaction<Database>) => Promise<void>): Promise<DlpRule> {
    await this.db.transaction().execute(async (trx) => {
      const columns = {
        ...(changes.name !== undefined ? { name: changes.name } : {}),
        ...(changes.detector !== undefined ? { detector: JSON.stringify(changes.detector) } : {}),
        ...(changes.scope !== undefined ? { scope: JSON.stringify(changes.scope) } : {}),
        ...(changes.action !== undefined ? { action: changes.action } : {}),
        ...(changes.raisesLabelTo !== undefined ? { raises_label_to: changes.raisesLabelTo } : {}),
        ...(changes.enabled !== undefined ? { enabled: changes.enabled ? 1 : 0 } : {}),
      };
      await updateRule(trx, id, columns, Date.now());
      await recordAudit(trx, { actorId: actor.userId, action: 'dlp.rule_updated', target: { type: 'dlp_rule', id }, data: { ...changes }, ip: actor.ip });
      await alsoInTransaction?.(trx);
    });
    this.compiled.clear();
    return toWireRule((await findRuleRow(this.db, id))!);
  }

  async remove(actor: Actor, id: string): Promise<void> {
    const row = await findRuleRow(this.db, id);
    if (!row) throw new AppError('DLP_RULE_NOT_FOUND');
    await this.db.transaction().execute(async (trx) => {
      await deleteRule(trx, id);
      await recordAudit(trx, { actorId: actor.userId, action: 'dlp.rule_deleted', target: { type: 'dlp_rule', id }, data: { name: row.name }, ip: actor.ip });
    });
    this.compiled.clear();
  }

  /** How many matches a detector finds in sample text, for trying a rule out before saving it. */
  countMatches(detector: DlpDetector, text: string): number {
    return compileOrRefuse(detector).findSpans(text).length;
  }

  private async checkRule(rule: RuleInput): Promise<void> {
    compileOrRefuse(rule.detector);
    await this.checkScope(rule.scope);
    await this.checkRaisedLabel(rule.action, rule.raisesLabelTo);
  }

  /** Files the rule for a second approver (APPROVAL_PENDING) when reasonsForSecondApprover finds a reason. */
  private async requireSecondApproverIfNeeded(actor: Actor, ruleId: string | null, rule: RuleInput): Promise<void> {
    const onlyRoomId = rule.scope.roomIds?.length === 1 ? rule.scope.roomIds[0] : undefined;
    const onlyRoom = onlyRoomId === undefined ? undefined : await findRoom(this.db, onlyRoomId);
    const reasons = reasonsForSecondApprover(rule, compileOrRefuse(rule.detector), onlyRoom && { kind: onlyRoom.kind, memberCount: Number(onlyRoom.member_count) });
    if (reasons.length === 0) return;
    const { name, detector, scope, action, raisesLabelTo, enabled } = rule;
    const approvalId = await this.approvals.request(actor, { kind: 'dlp-rule', subjectId: ruleId, targetId: null, payload: { rule: { name, detector, scope, action, raisesLabelTo, enabled }, reasons } });
    throw new AppError('APPROVAL_PENDING', { approvalId, reasons });
  }

  /** A second person approved: the rule is saved as requested, in the transaction that records the decision. */
  private async applyApproved(approver: Actor, approval: ApprovalRow, decide: Decide): Promise<void> {
    const { rule } = JSON.parse(approval.payload) as { rule: RuleInput };
    await this.checkRule(rule);
    if (approval.subject_id === null) await this.insert(approver, rule, decide);
    else {
      if (!(await findRuleRow(this.db, approval.subject_id))) throw new AppError('DLP_RULE_NOT_FOUND');
      await this.write(approver, approval.subject_id, rule, decide);
    }
  }

  /** The raised label must exist; a rule whose only action is to raise a label must name one. */
  private async checkRaisedLabel(action: DlpRule['action'], raisesLabelTo: string | null): Promise<void> {
    if (raisesLabelTo !== null) (await this.labels.ranks()).rankOf(raisesLabelTo);
    else if (action === 'label') throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'raisesLabelTo', message: 'a label rule names the label it raises to' }] });
  }

  private async checkScope(scope: DlpScope): Promise<void> {
    const ranks = await this.labels.ranks();
    for (const ceiling of scope.ceilings ?? []) ranks.rankOf(ceiling);
  }
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
