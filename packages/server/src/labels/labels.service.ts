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

export class LabelsService {
  constructor(private readonly db: Kysely<Database>) {}

  async list(): Promise<Label[]> {
    return (await listLabelRows(this.db)).map(toWireLabel);
  }

  /** Read on every rule check: a handful of rows, and a label change is seen at once on every node. */
  async ranks(db: Kysely<Database> = this.db): Promise<LabelRanks> {
    return new LabelRanks(new Map((await listLabelRows(db)).map((row) => [row.id, Number(row.rank)])));
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
