import type { DlpRuleRef } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import type { DlpFinding, ScanAudience } from '../dlp/dlp-rule-set';
import type { DlpService } from '../dlp/dlp.service';
import type { NamedRoom, NamePlace, NameScreen } from '../dlp/name-screen';
import { AppError } from '../http/app-error';
import type { CpuWorkPool } from '../worker-pool/cpu-work-pool';
import { departmentsOfUsers, guestCountOf, memberDepartments } from './protection.repository';
import { spansOtherDepartments } from './room-audience';

export interface NameScreeningDeps {
  db: Kysely<Database>;
  dlp: DlpService;
  work: CpuWorkPool;
}

/**
 * The DLP check of names (see NameScreen). A room's name or topic answers to the rules whose scope covers that
 * room: its id, its ceiling and its audience (guests, other departments), as messages in it do; a room being
 * created is judged by the ceiling it gets and the people it is created with, and no rule restricted to room ids
 * can name it yet. Every matching rule refuses, warn, review and redact included: nobody is there to confirm a
 * name to, and a held or redacted name would be a different name than the one asked for.
 */
export class NameScreening implements NameScreen {
  constructor(private readonly deps: NameScreeningDeps) {}

  async checkRoomText(actor: Pick<Actor, 'userId' | 'ip'>, room: NamedRoom, place: NamePlace, text: string): Promise<void> {
    const rules = await this.deps.dlp.ruleSet();
    if (rules.size === 0) return;
    const audience = await this.audienceOf(actor.userId, room);
    // Names are short, so the scan runs here; undefined (the pool could not scan) cannot happen for them, and
    // would refuse like a match if it did.
    const findings = await rules.scan(text, audience, this.deps.work);
    // A room being created has no row to name yet: its hits are filed under the person creating it.
    const target = 'existing' in room ? { type: 'room' as const, id: room.existing.id } : { type: 'user' as const, id: actor.userId };
    await this.refuseIfFound(actor, target, place, findings ?? (await rules.applyingTo(audience)).map((rule) => ({ rule, spans: [] })));
  }

  async checkDisplayName(actor: { userId: string | null; ip: string | null }, subjectId: string | undefined, text: string): Promise<void> {
    const rules = await this.deps.dlp.ruleSet();
    if (rules.size === 0) return;
    await this.refuseIfFound(actor, subjectId === undefined ? undefined : { type: 'user', id: subjectId }, 'display-name', rules.scanEverywhere(text));
  }

  private async audienceOf(senderId: string, room: NamedRoom): Promise<ScanAudience> {
    const { db } = this.deps;
    if ('existing' in room) {
      const { id, ceiling, guest_count } = room.existing;
      return { room: { id, ceiling }, guestCount: Number(guest_count), spansOtherDepartments: async () => spansOtherDepartments(await memberDepartments(db, id), senderId) };
    }
    const { ceiling, memberIds } = room.creating;
    // An id no rule can list: a room that does not exist yet is in no rule's list of rooms.
    return {
      room: { id: '', ceiling },
      guestCount: await guestCountOf(db, memberIds),
      spansOtherDepartments: async () => spansOtherDepartments(await departmentsOfUsers(db, memberIds), senderId),
    };
  }

  private async refuseIfFound(actor: { userId: string | null; ip: string | null }, target: { type: 'room' | 'user'; id: string } | undefined, place: NamePlace, findings: DlpFinding[]): Promise<void> {
    if (findings.length === 0) return;
    await this.deps.db.transaction().execute(async (trx) => {
      for (const finding of findings) {
        const data = { rule: finding.rule, outcome: 'blocked', context: place, matches: finding.spans.length };
        await recordAudit(trx, { actorId: actor.userId, action: 'dlp.hit', ...(target ? { target } : {}), data, ip: actor.ip });
      }
    });
    const rules: DlpRuleRef[] = [...new Map(findings.map((finding) => [finding.rule.id, finding.rule])).values()];
    throw new AppError('DLP_BLOCKED', { rules });
  }
}
