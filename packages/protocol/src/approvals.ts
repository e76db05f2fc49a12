import { z } from 'zod';
import { Id, Timestamp } from './common';
import { DlpAction, DlpDetector, DlpScope } from './dlp';
import { LabelId } from './labels';
import { Role } from './users';

/**
 * Separation of duties: a change that could let one person read conversations they are not in waits for a second
 * person. `room-admission`: someone let into a private group by an invite its owners did not make (a room owner
 * approves); `role-grant`: the admin or compliance role (another admin approves); `dlp-rule`: a review rule that
 * sees everything, or watches one direct message or small group (another compliance officer or admin approves);
 * `password-reset`: a password an admin sets for an admin or a compliance officer, which would let the admin sign
 * in as them (another admin approves).
 */
export const ApprovalKind = z.enum(['room-admission', 'role-grant', 'dlp-rule', 'password-reset']);
export type ApprovalKind = z.infer<typeof ApprovalKind>;
export const ApprovalStatus = z.enum(['pending', 'approved', 'rejected', 'cancelled', 'expired']);
export type ApprovalStatus = z.infer<typeof ApprovalStatus>;

/** How long a request waits before it expires undecided. */
export const APPROVAL_LIFETIME_DAYS = 7;

export const ApprovalPerson = z.object({ id: Id, username: z.string(), displayName: z.string() });
export type ApprovalPerson = z.infer<typeof ApprovalPerson>;

/** A DLP rule as it would be saved once approved. */
export const ApprovalDlpRule = z.object({
  name: z.string(),
  detector: DlpDetector,
  scope: DlpScope,
  action: DlpAction,
  raisesLabelTo: LabelId.nullable(),
  enabled: z.boolean(),
});

/** Why a DLP rule needs a second approver. */
export const DlpApprovalReason = z.enum(['matches-everything', 'single-conversation']);
export type DlpApprovalReason = z.infer<typeof DlpApprovalReason>;

export const ApprovalDetails = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('room-admission'), room: z.object({ id: Id, name: z.string().nullable() }), person: ApprovalPerson, inviteId: Id }),
  z.object({ kind: z.literal('role-grant'), person: ApprovalPerson, from: Role, to: Role }),
  z.object({ kind: z.literal('dlp-rule'), ruleId: Id.nullable(), rule: ApprovalDlpRule, reasons: z.array(DlpApprovalReason) }),
  /** The new password itself never leaves the server, not even as its hash. `role`: the person's when it was asked. */
  z.object({ kind: z.literal('password-reset'), person: ApprovalPerson, role: Role }),
]);
export type ApprovalDetails = z.infer<typeof ApprovalDetails>;

export const Approval = z.object({
  id: Id,
  status: ApprovalStatus,
  details: ApprovalDetails,
  requestedBy: ApprovalPerson,
  requestedAt: Timestamp,
  expiresAt: Timestamp,
  decidedBy: ApprovalPerson.nullable(),
  decidedAt: Timestamp.nullable(),
  /** Whether the viewer may approve or reject it now (never their own request). */
  mayDecide: z.boolean(),
});
export type Approval = z.infer<typeof Approval>;

export const ApprovalListRequest = z.object({ status: ApprovalStatus.default('pending') });
export const ApprovalListResponse = z.object({ approvals: z.array(Approval) });
export const ApprovalIdParams = z.object({ approvalId: Id });
export const ApprovalResponse = z.object({ approval: Approval });

/** What a person's own security log shows: things done to their account, and by whom. */
export const SecurityEventKind = z.enum([
  'sign-in',
  'password-changed',
  'password-reset-by-admin',
  'role-changed',
  'two-factor-reset',
  'account-disabled',
  'account-enabled',
]);
export type SecurityEventKind = z.infer<typeof SecurityEventKind>;

export const SecurityEvent = z.object({
  id: z.number().int(),
  kind: SecurityEventKind,
  at: Timestamp,
  /**
   * Who did it: the person themselves, an administrator, or null for the server or the command line. A password
   * reset that waited for a second admin names the admin who set it here and the one who approved it in `approvedBy`.
   */
  actor: ApprovalPerson.nullable(),
  approvedBy: ApprovalPerson.optional(),
  ip: z.string().nullable(),
  /** Role changes: from and to. Sessions ended: how many. */
  role: z.object({ from: Role, to: Role }).optional(),
  sessionsEnded: z.number().int().optional(),
});
export type SecurityEvent = z.infer<typeof SecurityEvent>;
export const SecurityLogResponse = z.object({ events: z.array(SecurityEvent) });
