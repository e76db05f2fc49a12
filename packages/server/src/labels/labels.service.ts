import type { Label } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import { clearancesOf, findLabelRow, insertLabelAt, listLabelRows, updateLabelRow, type LabelRow } from './labels.repository';

/** The label a room, a person or a message gets when nobody chose one. */
export const DEFAULT_LABEL = 'internal';

function toWireLabel(row: LabelRow): Label {
  return { id: row.id, rank: Number(row.rank), names: { en: row.name_en, 'zh-CN': row.name_zh }, colour: row.colour };
}

/** Ranks of the labels as they are now; the comparisons every rule makes. */
export class LabelRanks {
  constructor(private readonly ranks: ReadonlyMap<string, number>) {}

  rankOf(labelId: string): number {
    const rank = this.ranks.get(labelId);
    if (rank === undefined) throw new AppError('LABEL_NOT_FOUND', { labelId });
    return rank;
  }

  /** True when `label` may go where `ceiling` is the limit. */
  fits(label: string, ceiling: string): boolean {
    return this.rankOf(label) <= this.rankOf(ceiling);
  }

  lowest(...labels: string[]): string {
    return labels.reduce((low, label) => (this.rankOf(label) < this.rankOf(low) ? label : low));
  }
}

/** How long a node trusts its copy of the label ranks; a change made on this node is seen at once. */
const RANKS_TTL_MS = 10_000;

export class LabelsService {
  private cached: { ranks: LabelRanks; at: number } | undefined;

  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<Label[]> {
    return (await listLabelRows(this.db)).map(toWireLabel);
  }

  /**
   * The ranks every rule compares. Sending a message checks them, so they are kept for a few seconds instead of
   * read on every send; labels change rarely, and another node sees a change within RANKS_TTL_MS.
   */
  async ranks(): Promise<LabelRanks> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < RANKS_TTL_MS) return this.cached.ranks;
    const ranks = new LabelRanks(new Map((await listLabelRows(this.db)).map((row) => [row.id, Number(row.rank)])));
    this.cached = { ranks, at: now };
    return ranks;
  }

  /** The people among `userIds` whose clearance is below `ceiling`. */
  async clearedBelow(userIds: readonly string[], ceiling: string, ranks: LabelRanks): Promise<string[]> {
    const clearances = await clearancesOf(this.db, userIds);
    return userIds.filter((id) => !ranks.fits(ceiling, clearances.get(id) ?? DEFAULT_LABEL));
  }

  async create(actor: Actor, input: { id: string; names: { en: string; 'zh-CN': string }; colour: string; rank: number }): Promise<Label> {
    if (await findLabelRow(this.db, input.id)) throw new AppError('LABEL_EXISTS');
    const count = (await listLabelRows(this.db)).length;
    const row: LabelRow = { id: input.id, rank: Math.min(input.rank, count), name_en: input.names.en, name_zh: input.names['zh-CN'], colour: input.colour, created_at: Date.now() };
    await this.db.transaction().execute(async (trx) => {
      await insertLabelAt(trx, row);
      await recordAudit(trx, { actorId: actor.userId, action: 'label.created', target: { type: 'label', id: row.id }, data: { rank: row.rank }, ip: actor.ip });
    });
    // After the commit, so that no request refills the cache from the old ranks meanwhile.
    this.cached = undefined;
    return toWireLabel((await findLabelRow(this.db, input.id))!);
  }

  async update(actor: Actor, id: string, changes: { names?: { en: string; 'zh-CN': string } | undefined; colour?: string | undefined }): Promise<Label> {
    if (!(await findLabelRow(this.db, id))) throw new AppError('LABEL_NOT_FOUND');
    await this.db.transaction().execute(async (trx) => {
      await updateLabelRow(trx, id, {
        ...(changes.names ? { name_en: changes.names.en, name_zh: changes.names['zh-CN'] } : {}),
        ...(changes.colour ? { colour: changes.colour } : {}),
      });
      await recordAudit(trx, { actorId: actor.userId, action: 'label.updated', target: { type: 'label', id }, data: changes, ip: actor.ip });
    });
    return toWireLabel((await findLabelRow(this.db, id))!);
  }
}
