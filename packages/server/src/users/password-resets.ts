import type { Role } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { ApprovalRow, ApprovalsService, Decide } from '../approvals/approvals.service';
import type { Actor } from '../auth/actor';
import type { AuthService } from '../auth/auth.service';
import { hashPassword } from '../auth/password';
import type { PasswordPolicy } from '../auth/password-policy';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Operator } from './operator';
import { eligibleApprovers, isPowerful } from './second-approvers';
import { updateUser, type PublicUserRow } from './users.repository';

export interface PasswordResetsDeps {
  db: Kysely<Database>;
  auth: AuthService;
  passwords: PasswordPolicy;
  passwordHashCost: number;
  approvals: ApprovalsService;
}

/** What a waiting reset holds: the new password only as its hash, and who may approve it. */
type ResetPayload = {
  role: Role;
  passwordHash: string;
  eligible: string[];
};

function resetPayload(approval: ApprovalRow): ResetPayload {
  return JSON.parse(approval.payload) as ResetPayload;
}

/**
 * Passwords an administrator sets. The admin knows the password, so they could sign in as its owner: for a member
 * that is the price of getting someone back into their account, but an admin or compliance officer's account reads
 * and exports what the resetting admin may not. Such a reset waits for a second admin, as a grant of those roles
 * does, and the owner's security log names both.
 */
export class PasswordResets {
  constructor(private readonly deps: PasswordResetsDeps) {
    deps.approvals.handle('password-reset', {
      mayDecide: async (actor, approval) => actor.role === 'admin' && resetPayload(approval).eligible.includes(actor.userId),
      apply: (approver, approval, decide) => this.applyApproved(approver, approval, decide),
    });
  }

  /**
   * Sets `user`'s password and signs them out everywhere; they must choose their own at the next sign-in. For an
   * admin or officer, with another admin to ask, the reset is filed instead (APPROVAL_PENDING with its id), even
   * when the admin resets their own password: a stolen session could otherwise swap the owner's password for one
   * its thief knows. With no one to ask (a sole admin, the command line) it is made at once, as a grant is: the
   * first installation must be able to get its only officer back in.
   */
  async reset(operator: Operator, user: PublicUserRow, password: string): Promise<void> {
    await this.deps.passwords.require(password, [user.username]);
    const passwordHash = await hashPassword(password, this.deps.passwordHashCost);
    if (operator.userId !== null && isPowerful(user.role)) {
      const eligible = await eligibleApprovers(this.deps.db, operator.userId, user.id);
      if (eligible.length > 0) {
        const payload: ResetPayload = { role: user.role, passwordHash, eligible };
        const approvalId = await this.deps.approvals.request({ userId: operator.userId, ip: operator.ip }, { kind: 'password-reset', subjectId: user.id, targetId: null, payload });
        throw new AppError('APPROVAL_PENDING', { approvalId });
      }
    }
    await this.write(operator, user.id, passwordHash, {});
  }

  private async applyApproved(approver: Actor, approval: ApprovalRow, decide: Decide): Promise<void> {
    const approvedReset = { requestedBy: approval.requested_by, approvalId: approval.id };
    await this.write(approver, approval.subject_id!, resetPayload(approval).passwordHash, approvedReset, (trx) => decide(trx));
  }

  /**
   * The reset itself, in one transaction with its audit entry (and a request's decision). An approved reset is
   * recorded as the approver's act, naming the admin who asked: the owner's security log shows both.
   */
  private async write(
    operator: Operator,
    userId: string,
    passwordHash: string,
    approved: { requestedBy: string; approvalId: string } | Record<string, never>,
    alsoInTransaction?: (trx: Transaction<Database>) => Promise<void>,
  ): Promise<void> {
    const ended = await this.deps.db.transaction().execute(async (trx) => {
      await updateUser(trx, userId, { password_hash: passwordHash, password_change_required: 1, updated_at: Date.now() });
      const sessions = await this.deps.auth.revokeAllSessions(trx, userId);
      await recordAudit(trx, { actorId: operator.userId, action: 'user.password_reset', target: { type: 'user', id: userId }, data: { sessionsEnded: sessions.length, ...approved }, ip: operator.ip });
      await alsoInTransaction?.(trx);
      return sessions;
    });
    this.deps.auth.endSessions(ended);
  }
}
