import { randomUUID } from 'node:crypto';
import { APPROVAL_LIFETIME_DAYS, type Approval, type ApprovalKind, type ApprovalStatus } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { toWireApprovals } from './approval-wire';
import { isAboutSubjectPerson } from './approval-kinds';
import { decideApprovalRow, expireOverdueApprovals, findApproval, findPendingApprovals, hasOverdueApprovals, insertApproval, listApprovalRows, type ApprovalRow } from './approvals.repository';

/** What one kind of request needs from the feature it changes. */
export interface ApprovalHandler {
  /** Whether `actor` may decide the request; the requester and the person it is about never may (checked first). */
  mayDecide(actor: Actor, approval: ApprovalRow): Promise<boolean>;
  /**
   * Makes the approved change; `decide` records the decision and must run inside the change's transaction. A
   * change that creates its subject (a new DLP rule) names it there, so the request then points at it.
   */
  apply(approver: Actor, approval: ApprovalRow, decide: Decide): Promise<void>;
}

export type { ApprovalRow };

export type Decide = (trx: Transaction<Database>, createdSubjectId?: string) => Promise<void>;

export interface ApprovalRequest {
  kind: ApprovalKind;
  subjectId: string | null;
  targetId: string | null;
  /** Ids, roles and rule definitions: never anything a person wrote. */
  payload: Record<string, unknown>;
}

const LIFETIME_MS = APPROVAL_LIFETIME_DAYS * 86_400_000;

/**
 * Separation of duties: changes that could let one person read conversations they are not in are filed here and
 * take effect only when a second, eligible person approves. The features register a handler per kind (who may
 * decide, how the change is made), so this service knows the rule "never your own request" and nothing of rooms,
 * roles or rules. Every request and decision is audited in the transaction that makes it.
 */
export class ApprovalsService {
  private readonly handlers = new Map<ApprovalKind, ApprovalHandler>();

  constructor(private readonly deps: { db: Kysely<Database>; keys: Keyring }) {}

  handle(kind: ApprovalKind, handler: ApprovalHandler): void {
    this.handlers.set(kind, handler);
  }

  /**
   * Files a request, or finds the same one still pending; answers its id. `alsoInTransaction` commits with a new
   * request (an invite's use), and does not run when the request was already pending.
   */
  async request(actor: Pick<Actor, 'userId' | 'ip'>, request: ApprovalRequest, alsoInTransaction?: (trx: Transaction<Database>) => Promise<void>): Promise<string> {
    return this.deps.db.transaction().execute(async (trx) => {
      const now = Date.now();
      const payload = JSON.stringify(request.payload);
      const same = (await findPendingApprovals(trx, request.kind, request.subjectId, request.targetId, now)).find((row) => row.requested_by === actor.userId && row.payload === payload);
      if (same) return same.id;
      await alsoInTransaction?.(trx);
      const id = randomUUID();
      await insertApproval(trx, {
        id,
        kind: request.kind,
        requested_by: actor.userId,
        subject_id: request.subjectId,
        target_id: request.targetId,
        payload,
        status: 'pending',
        decided_by: null,
        requested_at: now,
        decided_at: null,
        expires_at: now + LIFETIME_MS,
      });
      await recordAudit(trx, { actorId: actor.userId, action: 'approval.requested', target: { type: 'approval', id }, data: { kind: request.kind, subjectId: request.subjectId, targetId: request.targetId }, ip: actor.ip });
      return id;
    });
  }

  /** Admins see every request; anyone else the ones they made or may decide. */
  async list(actor: Actor, status: ApprovalStatus): Promise<Approval[]> {
    await this.expireOverdue();
    const rows = await listApprovalRows(this.deps.db, status);
    const visible: { row: ApprovalRow; mayDecide: boolean }[] = [];
    for (const row of rows) {
      const mayDecide = status === 'pending' && (await this.mayDecide(actor, row));
      if (actor.role === 'admin' || mayDecide || row.requested_by === actor.userId) visible.push({ row, mayDecide });
    }
    return toWireApprovals(this.deps.db, this.deps.keys, visible);
  }

  async approve(actor: Actor, approvalId: string): Promise<Approval> {
    const row = await this.requireDecidable(actor, approvalId);
    await this.handlerOf(row).apply(actor, row, (trx, createdSubjectId) => this.decide(trx, actor, row, 'approved', createdSubjectId));
    return this.reread(actor, approvalId);
  }

  async reject(actor: Actor, approvalId: string): Promise<Approval> {
    const row = await this.requireDecidable(actor, approvalId);
    await this.deps.db.transaction().execute((trx) => this.decide(trx, actor, row, 'rejected'));
    return this.reread(actor, approvalId);
  }

  /** The requester withdraws their own pending request. */
  async cancel(actor: Actor, approvalId: string): Promise<Approval> {
    await this.expireOverdue();
    const row = await findApproval(this.deps.db, approvalId);
    if (!row || row.requested_by !== actor.userId) throw new AppError('APPROVAL_NOT_FOUND');
    await this.deps.db.transaction().execute((trx) => this.decide(trx, actor, row, 'cancelled'));
    return this.reread(actor, approvalId);
  }

  private async decide(trx: Transaction<Database>, actor: Actor, row: ApprovalRow, status: 'approved' | 'rejected' | 'cancelled', createdSubjectId?: string): Promise<void> {
    if (!(await decideApprovalRow(trx, row.id, { status, decidedBy: actor.userId, now: Date.now(), subjectId: createdSubjectId }))) throw new AppError('APPROVAL_DECIDED');
    const subjectId = createdSubjectId ?? row.subject_id;
    await recordAudit(trx, { actorId: actor.userId, action: `approval.${status}`, target: { type: 'approval', id: row.id }, data: { kind: row.kind, requestedBy: row.requested_by, subjectId, targetId: row.target_id }, ip: actor.ip });
  }

  /**
   * The request, if `actor` may decide it: pending, not theirs (whichever of their sessions asks), not about them,
   * and allowed by its kind's rule. Someone who could neither see nor decide it finds no such request.
   */
  private async requireDecidable(actor: Actor, approvalId: string): Promise<ApprovalRow> {
    await this.expireOverdue();
    const row = await findApproval(this.deps.db, approvalId);
    if (!row) throw new AppError('APPROVAL_NOT_FOUND');
    if (isOwnRequest(actor, row)) throw new AppError('APPROVAL_OWN_REQUEST');
    if (!(await this.handlerOf(row).mayDecide(actor, row))) {
      if (actor.role === 'admin') throw new AppError('APPROVAL_NOT_ELIGIBLE');
      throw new AppError('APPROVAL_NOT_FOUND');
    }
    if (row.status !== 'pending') throw new AppError('APPROVAL_DECIDED');
    return row;
  }

  /**
   * Writes down what time has decided: every pending request past its expiry becomes `expired` in storage, audited
   * once (by whichever call changed the row). Run before requests are listed or decided, so that storage, the lists
   * and the audit log agree without a timer; a request that expires between this and its decision is still refused
   * by the decision's own guard (decideApprovalRow), and written down at the next read.
   */
  private async expireOverdue(): Promise<void> {
    const now = Date.now();
    if (!(await hasOverdueApprovals(this.deps.db, now))) return;
    await this.deps.db.transaction().execute(async (trx) => {
      for (const row of await expireOverdueApprovals(trx, now)) {
        await recordAudit(trx, { actorId: null, action: 'approval.expired', target: { type: 'approval', id: row.id }, data: { kind: row.kind, requestedBy: row.requested_by, subjectId: row.subject_id, targetId: row.target_id }, ip: null });
      }
    });
  }

  private async mayDecide(actor: Actor, row: ApprovalRow): Promise<boolean> {
    return !isOwnRequest(actor, row) && (await this.handlerOf(row).mayDecide(actor, row));
  }

  private handlerOf(row: ApprovalRow): ApprovalHandler {
    const handler = this.handlers.get(row.kind);
    if (!handler) throw new Error(`no approval handler for ${row.kind}`);
    return handler;
  }

  private async reread(actor: Actor, approvalId: string): Promise<Approval> {
    const row = (await findApproval(this.deps.db, approvalId))!;
    return (await toWireApprovals(this.deps.db, this.deps.keys, [{ row, mayDecide: false }]))[0]!;
  }
}

/** The requester, or the person the request is about (admitted to a room, given a role, given a password). */
function isOwnRequest(actor: Pick<Actor, 'userId'>, row: ApprovalRow): boolean {
  if (row.requested_by === actor.userId || row.target_id === actor.userId) return true;
  return isAboutSubjectPerson(row) && row.subject_id === actor.userId;
}
