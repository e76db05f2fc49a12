import { randomUUID } from 'node:crypto';
import type { ConfirmationReason, ConfirmationRequiredData, DlpRuleRef } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { redactSpans } from '../dlp/detectors';
import type { DlpFinding, DlpRuleSet } from '../dlp/dlp-rule-set';
import type { DlpService } from '../dlp/dlp.service';
import { markFilesHeld } from '../files/files.access';
import { AppError } from '../http/app-error';
import type { LabelsService } from '../labels/labels.service';
import type { Keyring } from '../keys/keyring';
import { encodeBody, heldPlace, loadSealingKeys } from '../messages/message-body.codec';
import type { RoomWithMembership } from '../rooms/rooms.service';
import type { SettingsService } from '../settings/settings.service';
import { digestOf, type ConfirmationSubject, type ConfirmationTokens } from './confirmation-token';
import { useConfirmation } from './protection.repository';
import { insertHeld } from './held-messages.repository';
import { RoomAudience } from './room-audience';
import type { CpuWorkPool } from '../worker-pool/cpu-work-pool';

export type OutboundKind = 'send' | 'edit' | 'forward';

/** A file going out with a message: DLP reads its name and the text extracted from it at upload. */
export interface OutboundFile {
  id: string;
  name: string;
  text: string;
  /** False when extraction stopped before the end (encrypted, damaged, past a limit): the rest went unscanned. */
  fullyRead: boolean;
}

export interface Outbound {
  kind: OutboundKind;
  text: string;
  label: string;
  /** Set when the content's markings raised the label: the confirmation says so. */
  raisedBy?: 'content';
  /** The files it carries (none for an edit, which keeps the files already checked). */
  files: readonly OutboundFile[];
  /** What a confirmation covers besides the files: the text and label of a send, the message forwarded, … */
  contentKey: readonly string[];
  confirmationToken?: string | undefined;
  /** What delivering it later needs if a review rule holds it (thread, restrictions, the edited message, …). */
  details: Record<string, unknown>;
}

/**
 * A rule's match, in the text or (with `fileId`) in a file; `unread` when the file or text could not be read to its
 * end and the rule, which applies here, stands in for whatever its unread part holds.
 */
type Finding = DlpFinding & { fileId?: string; unread?: true };

export interface OutboundPolicyDeps {
  db: Kysely<Database>;
  dlp: DlpService;
  settings: SettingsService;
  labels: LabelsService;
  tokens: ConfirmationTokens;
  /** Where long text is scanned, off the event loop. */
  work: CpuWorkPool;
  /** Seals held text under its room's key, like every message text. */
  keys: Keyring;
  /** Told the action of each rule that matched, for the metrics; never the rule, the room or the text. */
  countHit?: (action: DlpRuleRef['action']) => void;
}

/**
 * What stands between a sender and a room: DLP rules (block, warn, review, redact, in that order of precedence)
 * and the wrong-recipient guard. Returns the text to deliver (redacted where a rule says so), or throws
 * DLP_BLOCKED, CONFIRMATION_REQUIRED or DLP_HELD_FOR_REVIEW. Every rule hit is audited by rule and outcome, never
 * with the matched text. Rules scan the text and each file's name and extracted text alike; a file cannot be
 * redacted, so a redact rule that matches in a file blocks the send instead. A file that text extraction could not
 * read to its end fails closed: every rule that applies to this room and audience counts as matching it, since an
 * encrypted or damaged document is exactly how a secret would slip past a scan. Refusals name such files
 * (`unreadFiles`) so the sender knows why.
 */
export class OutboundPolicy {
  constructor(private readonly deps: OutboundPolicyDeps) {}

  async check(actor: Pick<Actor, 'userId' | 'ip'>, room: RoomWithMembership, outbound: Outbound): Promise<string> {
    const audience = new RoomAudience(this.deps.db, room, actor.userId);
    const rules = await this.deps.dlp.ruleSet();
    const findings = rules.size === 0 ? [] : [...(await scan(rules, outbound, audience, this.deps.work)), ...(await this.splitOverSends(actor, room.id, outbound, rules, audience))];
    const withAction = (action: DlpRuleRef['action']) => findings.filter((finding) => finding.rule.action === action);
    if (this.deps.countHit) for (const finding of findings) this.deps.countHit(finding.rule.action);

    // A file cannot be redacted, nor can text that was not read: a redact rule that matches there blocks instead.
    const blocking = findings.filter((finding) => finding.rule.action === 'block' || (finding.rule.action === 'redact' && (finding.fileId !== undefined || finding.unread)));
    const unread = unreadFilesOf(outbound, findings);
    if (blocking.length > 0) {
      await this.auditHits(actor, room.id, outbound.kind, findings, 'blocked');
      throw new AppError('DLP_BLOCKED', { rules: rulesOf(blocking), ...unread });
    }

    const warnings = withAction('warn');
    const reasons = await this.guardReasons(audience, outbound);
    if (warnings.length > 0) reasons.push('dlp');
    if (reasons.length > 0) {
      const content = digestOf(outbound.kind, ...outbound.contentKey, ...outbound.files.map((file) => file.id));
      const subject = { senderId: actor.userId, roomId: room.id, audience: await audience.digest(), membershipVersion: Number(room.membership_version), content };
      if (!(await this.confirmed(outbound.confirmationToken, subject))) {
        await this.auditHits(actor, room.id, outbound.kind, warnings, 'confirmation_asked');
        const data: ConfirmationRequiredData = {
          confirmationToken: this.deps.tokens.issue(subject),
          reasons,
          room: { id: room.id, name: room.name, kind: room.kind, memberCount: audience.memberCount, guestCount: audience.guestCount },
          departments: await audience.departmentNames(),
          label: outbound.label,
          rules: rulesOf(warnings).map((rule) => ({ id: rule.id, name: rule.name })),
          ...unread,
          ...(outbound.raisedBy ? { raisedBy: outbound.raisedBy } : {}),
        };
        throw new AppError('CONFIRMATION_REQUIRED', data);
      }
      await this.auditConfirmed(actor, room.id, outbound.kind, reasons, warnings);
    }

    const reviews = withAction('review');
    if (reviews.length > 0) await this.hold(actor, room, outbound, reviews, unread);

    // Only the text's matches are left here: a file's would have blocked above.
    const redactions = withAction('redact');
    if (outbound.kind === 'send') this.deps.dlp.rememberSent(actor.userId, room.id, outbound.text);
    if (redactions.length === 0) return outbound.text;
    await this.auditHits(actor, room.id, outbound.kind, redactions, 'redacted');
    return redactSpans(
      outbound.text,
      redactions.flatMap((finding) => finding.spans),
    );
  }

  /**
   * DLP's sliding window (dlp/recent-texts.ts): what this send completes with the sender's previous sends in the
   * room, a number split over them, answered as a match of this send. The text itself was scanned in full already,
   * so a window that could not be scanned adds nothing.
   */
  private async splitOverSends(actor: Pick<Actor, 'userId'>, roomId: string, outbound: Outbound, rules: DlpRuleSet, audience: RoomAudience): Promise<Finding[]> {
    if (outbound.kind !== 'send') return [];
    return (await this.deps.dlp.scanAfterRecent(rules, actor.userId, roomId, outbound.text, audience, this.deps.work)) ?? [];
  }

  /**
   * Whether the token confirms exactly this subject and has not been used: each confirmation lets one send, edit or
   * forward through, and of two racing requests with the same token only one gets it.
   */
  private async confirmed(token: string | undefined, subject: ConfirmationSubject): Promise<boolean> {
    const accepted = this.deps.tokens.verify(token, subject);
    return accepted !== undefined && (await useConfirmation(this.deps.db, accepted.id, accepted.expiresAt, Date.now()));
  }

  /**
   * Which of the organisation's guard conditions this send meets. An edit meets them like a send: its new text
   * reaches the same people, so turning a harmless message into a marked one needs the same confirmation.
   */
  private async guardReasons(audience: RoomAudience, outbound: Outbound): Promise<ConfirmationReason[]> {
    const { sendGuard } = await this.deps.settings.forSending();
    const reasons: ConfirmationReason[] = [];
    if (sendGuard.guests && audience.guestCount > 0) reasons.push('guests');
    if (sendGuard.otherDepartments && (await audience.spansOtherDepartments())) reasons.push('other-departments');
    if (sendGuard.membersAbove !== null && audience.memberCount > sendGuard.membersAbove) reasons.push('member-count');
    if (sendGuard.files && outbound.files.length > 0) reasons.push('files');
    if (sendGuard.labelAtOrAbove !== null) {
      const ranks = await this.deps.labels.ranks();
      if (ranks.rankOf(outbound.label) >= ranks.rankOf(sendGuard.labelAtOrAbove)) reasons.push('label');
    }
    return reasons;
  }

  /** Keeps the message for a compliance officer and tells the sender; nobody else sees it until it is released. */
  private async hold(actor: Pick<Actor, 'userId' | 'ip'>, room: RoomWithMembership, outbound: Outbound, reviews: Finding[], unread: UnreadFiles): Promise<never> {
    const id = randomUUID();
    const rules = rulesOf(reviews);
    await loadSealingKeys(this.deps.db, this.deps.keys, [room.id]);
    await this.deps.db.transaction().execute(async (trx) => {
      await insertHeld(trx, {
        id,
        kind: outbound.kind,
        status: 'pending',
        room_id: room.id,
        sender_id: actor.userId,
        body: encodeBody(this.deps.keys, heldPlace(room.id, id), outbound.text),
        label: outbound.label,
        // Ids, flags and provenance handles only (thread, client id, restrictions, files, the edited message):
        // no text anyone wrote, so it needs no sealing; the text is `body`.
        details: JSON.stringify(outbound.details),
        rules: JSON.stringify(rules),
        held_at: Date.now(),
        decided_by: null,
        decided_at: null,
        note: null,
        message_id: null,
      });
      // The uploads wait with the message: no other send takes them and the sweep leaves them until a decision.
      await markFilesHeld(trx, outbound.files.map((file) => file.id), id);
      for (const finding of reviews) await recordAudit(trx, hitEntry(actor, room.id, outbound.kind, finding, 'held', { heldMessageId: id }));
    });
    throw new AppError('DLP_HELD_FOR_REVIEW', { reviewId: id, rules, ...unread });
  }

  private async auditHits(actor: Pick<Actor, 'userId' | 'ip'>, roomId: string, kind: OutboundKind, findings: Finding[], outcome: string): Promise<void> {
    if (findings.length === 0) return;
    await this.deps.db.transaction().execute(async (trx) => {
      for (const finding of findings) await recordAudit(trx, hitEntry(actor, roomId, kind, finding, outcome));
    });
  }

  private async auditConfirmed(actor: Pick<Actor, 'userId' | 'ip'>, roomId: string, kind: OutboundKind, reasons: ConfirmationReason[], warnings: Finding[]): Promise<void> {
    await this.deps.db.transaction().execute(async (trx) => {
      await recordAudit(trx, { actorId: actor.userId, action: 'message.confirmed_send', target: { type: 'room', id: roomId }, data: { kind, reasons }, ip: actor.ip });
      for (const finding of warnings) await recordAudit(trx, hitEntry(actor, roomId, kind, finding, 'confirmed'));
    });
  }
}

/**
 * The text's findings, then each file's (its name and text scanned as one), marked with the file. Content that
 * could not be read to its end (a file whose extraction stopped short, or text the CPU work pool could not scan
 * within its time) also gets every applying rule that found nothing in the part that was read, marked unread.
 * The text and the files are scanned at once: long ones each on a thread of the pool.
 */
async function scan(rules: DlpRuleSet, outbound: Outbound, audience: RoomAudience, work: CpuWorkPool): Promise<Finding[]> {
  const [inText, ...inFiles] = await Promise.all([outbound.text, ...outbound.files.map((file) => `${file.name}\n${file.text}`)].map((text) => rules.scan(text, audience, work)));
  const findings: Finding[] = [...(inText ?? []), ...(inText ? [] : await unreadFindings(rules, audience, [], {}))];
  for (const [index, file] of outbound.files.entries()) {
    const found = inFiles[index];
    for (const finding of found ?? []) findings.push({ ...finding, fileId: file.id });
    if (found && file.fullyRead) continue;
    findings.push(...(await unreadFindings(rules, audience, found ?? [], { fileId: file.id })));
  }
  return findings;
}

/** Every rule that applies here and is not among `found`, standing in for what the unread part may hold. */
async function unreadFindings(rules: DlpRuleSet, audience: RoomAudience, found: readonly DlpFinding[], where: { fileId?: string }): Promise<Finding[]> {
  const matched = new Set(found.map((finding) => finding.rule.id));
  const applying = (await rules.applyingTo(audience)).filter((rule) => !matched.has(rule.id));
  return applying.map((rule) => ({ rule, spans: [], ...where, unread: true }));
}

type UnreadFiles = { unreadFiles?: { id: string; name: string }[] };

/** The files that counted as matching because they could not be read to the end, for the refusal; none: nothing. */
function unreadFilesOf(outbound: Outbound, findings: readonly Finding[]): UnreadFiles {
  const ids = new Set(findings.filter((finding) => finding.unread).map((finding) => finding.fileId));
  const files = outbound.files.filter((file) => ids.has(file.id)).map((file) => ({ id: file.id, name: file.name }));
  return files.length > 0 ? { unreadFiles: files } : {};
}

/** Each rule once, though it may have matched the text and several files. */
function rulesOf(findings: readonly Finding[]): DlpRuleRef[] {
  return [...new Map(findings.map((finding) => [finding.rule.id, finding.rule])).values()];
}

function hitEntry(actor: Pick<Actor, 'userId' | 'ip'>, roomId: string, kind: OutboundKind, finding: Finding, outcome: string, extra: Record<string, unknown> = {}) {
  const where = { ...(finding.fileId === undefined ? {} : { fileId: finding.fileId }), ...(finding.unread ? { unread: true } : {}) };
  return {
    actorId: actor.userId,
    action: 'dlp.hit' as const,
    target: { type: 'room' as const, id: roomId },
    data: { rule: finding.rule, outcome, context: kind, matches: finding.spans.length, ...where, ...extra },
    ip: actor.ip,
  };
}
