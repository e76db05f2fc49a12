import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import type { DlpService } from '../dlp/dlp.service';
import { AppError } from '../http/app-error';
import type { LabelRanks, LabelsService } from '../labels/labels.service';
import type { RoomWithMembership } from '../rooms/rooms.service';
import type { CpuWorkPool } from '../worker-pool/cpu-work-pool';
import { RoomAudience } from './room-audience';

/** Where content is being put: a message sent, edited or forwarded, or a file uploaded. */
export type LabelledKind = 'send' | 'edit' | 'forward' | 'upload';

/** The label content gets, and whether its markings (or other DLP rules) raised it above what was asked. */
export interface ContentLabel {
  label: string;
  raisedBy?: 'content';
}

export interface ContentLabelsDeps {
  db: Kysely<Database>;
  dlp: DlpService;
  labels: LabelsService;
  work: CpuWorkPool;
}

/**
 * Labels from content: the DLP rules that name a `raisesLabelTo` (the seeded ones look for classification
 * markings) raise the label of what they match, before the room's ceiling and the send guard judge it. A raise is
 * never a lowering: the result is the highest of the label asked and every label a matching rule names. Every raise
 * is audited (`message.label_raised`, the rules and labels, never the text), whether or not the item then goes out.
 * Content that could not be scanned to its end raises nothing here; the policy rules fail closed on it instead.
 */
export class ContentLabels {
  constructor(private readonly deps: ContentLabelsDeps) {}

  async raise(actor: Pick<Actor, 'userId' | 'ip'>, room: RoomWithMembership, kind: LabelledKind, asked: string, texts: readonly string[]): Promise<ContentLabel> {
    const rules = await this.deps.dlp.ruleSet();
    const audience = new RoomAudience(this.deps.db, room, actor.userId);
    const scans = await Promise.all(texts.map((text) => rules.scan(text, audience, this.deps.work, 'label')));
    const raising = scans.flatMap((findings) => findings ?? []).filter((finding) => finding.raisesLabelTo !== undefined);
    if (raising.length === 0) return { label: asked };
    const label = (await this.deps.labels.ranks()).highest(asked, ...raising.map((finding) => finding.raisesLabelTo!));
    if (label === asked) return { label };
    const ruleIds = [...new Set(raising.map((finding) => finding.rule.id))];
    await this.deps.db.transaction().execute((trx) =>
      recordAudit(trx, { actorId: actor.userId, action: 'message.label_raised', target: { type: 'room', id: room.id }, data: { kind, from: asked, to: label, rules: ruleIds }, ip: actor.ip }),
    );
    return { label, raisedBy: 'content' };
  }
}

/** LABEL_ABOVE_ROOM_CEILING unless the label fits the room; the refusal says when content raised it. */
export function requireWithinCeiling(ranks: LabelRanks, content: ContentLabel, ceiling: string): void {
  if (!ranks.fits(content.label, ceiling)) throw new AppError('LABEL_ABOVE_ROOM_CEILING', { label: content.label, ceiling, ...(content.raisedBy ? { raisedBy: content.raisedBy } : {}) });
}
