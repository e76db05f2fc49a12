import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import { ContentDamaged, openText, sealText } from '../keys/sealed';
import { checkNextEntry, GENESIS_HASH, hashEntry, type ChainBreak } from './audit-chain';
import { claimNextSeq, entriesInOrder, insertEntry, readHead } from './audit.repository';

/** What happened, in the vocabulary of the audit log. Add actions freely; never rename one. */
export type AuditAction =
  | 'auth.login'
  | 'auth.login_failed'
  | 'auth.logout'
  | 'auth.session_revoked'
  | 'user.created'
  | 'user.updated'
  | 'user.password_reset'
  | 'user.password_changed'
  | 'user.password_change_required'
  | 'user.profile_updated'
  | 'user.disabled'
  | 'user.enabled'
  | 'user.departments_set'
  | 'department.created'
  | 'department.updated'
  | 'department.deleted'
  | 'two_factor.enrolment_started'
  | 'two_factor.enabled'
  | 'two_factor.disabled'
  | 'two_factor.reset'
  | 'two_factor.recovery_code_used'
  | 'auth.second_factor_failed'
  | 'settings.updated'
  | 'room.created'
  | 'room.members_added'
  | 'room.member_removed'
  | 'room.updated'
  | 'room.frozen'
  | 'room.unfrozen'
  | 'room.exported'
  | 'room.deleted'
  | 'message.edited'
  | 'message.deleted'
  | 'message.recalled'
  | 'label.created'
  | 'label.updated'
  | 'room.ceiling_changed'
  | 'room.ceiling_downgraded'
  | 'room.content_relabelled'
  | 'room.content_hidden'
  | 'room.policy_changed'
  | 'room.marking_changed'
  | 'message.forwarded'
  | 'message.urgent_sent'
  | 'message.restricted'
  | 'message.confirmed_send'
  | 'message.label_raised'
  | 'dlp.rule_created'
  | 'dlp.rule_updated'
  | 'dlp.rule_deleted'
  | 'dlp.hit'
  | 'dlp.review_released'
  | 'dlp.review_rejected'
  | 'compliance.reviews_viewed'
  | 'compliance.audit_viewed'
  | 'compliance.copy_chain_viewed'
  | 'compliance.trace_resolved'
  | 'provenance.copy_labelled'
  | 'compliance.held_file_opened'
  | 'compliance.records_exported'
  | 'compliance.records_searched'
  | 'compliance.record_opened'
  | 'compliance.record_file_opened'
  | 'compliance.checkpoints_viewed'
  | 'compliance.checkpoints_downloaded'
  | 'compliance.audit_exported'
  | 'invite.created'
  | 'invite.used'
  | 'invite.revoked'
  | 'invite.request_approved'
  | 'invite.request_rejected'
  | 'file.uploaded'
  | 'file.downloaded'
  | 'file.viewed'
  | 'content.damaged'
  | 'keys.rotated'
  | 'hold.created'
  | 'hold.updated'
  | 'hold.released'
  | 'retention.policy_set'
  | 'retention.policy_removed'
  | 'retention.purged'
  | 'approval.requested'
  | 'approval.approved'
  | 'approval.rejected'
  | 'approval.cancelled'
  | 'approval.expired'
  | 'room.admitted_by_approval'
  | 'work_hours.schedule_set'
  | 'work_hours.schedule_removed'
  | 'work_hours.holidays_changed'
  | 'work_hours.report_viewed'
  | 'email.address_set'
  | 'email.preference_changed'
  | 'email.digest_sent'
  | 'email.test_sent';

export interface AuditEvent {
  actorId: string | null;
  action: AuditAction;
  target?: { type: 'user' | 'room' | 'session' | 'department' | 'settings' | 'message' | 'label' | 'dlp_rule' | 'held_message' | 'invite' | 'invite_request' | 'file' | 'legal_hold' | 'retention_policy' | 'approval' | 'work_schedule' | 'holiday_calendar'; id: string };
  /** Context for a reader of the log, stored as it is: never a secret and never content (see `content`). */
  data?: Record<string, unknown>;
  ip?: string | null;
}

/**
 * An entry that must name what people wrote (a room's new name, a freeze reason, a deletion certificate): those
 * fields go in `content`, which the write path seals with the installation's `records` key.
 */
export interface ContentAuditEvent extends AuditEvent {
  content: Record<string, unknown>;
  keys: Keyring;
}

/** Where sealed content sits in an entry's stored data. */
const SEALED_FIELD = 'sealed';

/**
 * Appends to the hash-chained audit log inside the caller's transaction, so an audited change and its entry
 * commit together or not at all. This is the single door into the log: `content` is sealed here, before the entry
 * is hashed, so the chain covers the stored form and `enclave audit verify` needs no key, while the database
 * alone shows no content. The associated data names the entry (`audit/<seq>`), so a sealed field moved to another
 * entry does not open there (and breaks the chain besides).
 */
export async function recordAudit(trx: Transaction<Database>, event: AuditEvent | ContentAuditEvent): Promise<void> {
  const { seq, prevHash } = await claimNextSeq(trx);
  const data: Record<string, unknown> = { ...event.data };
  if ('content' in event) {
    const { keys } = event;
    if (keys.encrypting) data[SEALED_FIELD] = sealText(keys.key('records'), auditAad(seq), JSON.stringify(event.content));
    else Object.assign(data, event.content);
  }
  const entry = {
    seq,
    at: Date.now(),
    actorId: event.actorId,
    action: event.action,
    targetType: event.target?.type ?? null,
    targetId: event.target?.id ?? null,
    data: JSON.stringify(data),
    ip: event.ip ?? null,
    prevHash,
  };
  await insertEntry(trx, { ...entry, hash: hashEntry(entry) });
}

function auditAad(seq: number): string {
  return `audit/${seq}`;
}

/**
 * An entry's data as its reader sees it, sealed content opened back into place. Content that does not open
 * (damaged) is replaced by `contentDamaged: true`, so one bad entry does not hide the rest of the log. Entries
 * written before encryption keep their content plain: sealing them in place would change what their hashes cover
 * (see "Keys" in docs/admin-guide.md).
 */
export function openAuditData(keys: Keyring, seq: number, stored: string): Record<string, unknown> {
  const data = JSON.parse(stored) as Record<string, unknown>;
  const sealed = data[SEALED_FIELD];
  if (typeof sealed !== 'string') return data;
  delete data[SEALED_FIELD];
  try {
    return { ...data, ...(JSON.parse(openText(keys.key('records'), auditAad(seq), sealed)) as Record<string, unknown>) };
  } catch (error) {
    if (error instanceof ContentDamaged || error instanceof SyntaxError) return { ...data, contentDamaged: true };
    throw error;
  }
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  headHash: string;
  firstBreak?: ChainBreak;
}

/** Recomputes the whole chain from the genesis hash and checks it ends where audit_head says. */
export async function verifyAuditLog(db: Kysely<Database>): Promise<AuditVerification> {
  const state = { seq: 0, hash: GENESIS_HASH };
  let firstBreak: ChainBreak | undefined;
  for await (const entry of entriesInOrder(db)) {
    firstBreak = checkNextEntry(entry, state);
    if (firstBreak) break;
  }
  const head = await readHead(db);
  if (firstBreak) return { ok: false, entries: state.seq, headHash: head.hash, firstBreak };
  if (head.seq !== state.seq || head.hash !== state.hash) {
    return { ok: false, entries: state.seq, headHash: head.hash, firstBreak: { seq: state.seq + 1, reason: 'head-mismatch' } };
  }
  return { ok: true, entries: state.seq, headHash: head.hash };
}
