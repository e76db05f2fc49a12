import type { ForwardingPolicy, Label, LabelCreateRequest, LabelUpdateRequest } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import { NodeCache, type SharedCaches } from '../node-cache';
import { clearancesOf, findLabelRow, insertLabelAt, listLabelRows, updateLabelRow, type LabelRow } from './labels.repository';

/** The label a room, a person or a message gets when nobody chose one. */
export const DEFAULT_LABEL = 'internal';

function toWireLabel(row: LabelRow): Label {
  return {
    id: row.id,
    rank: Number(row.rank),
    names: { en: row.name_en, 'zh-CN': row.name_zh },
    colour: row.colour,
    forwarding: row.forwarding,
    copyAllowed: Number(row.copy_allowed) === 1,
    downloadAllowed: Number(row.download_allowed) === 1,
    marked: Number(row.marked) === 1,
  };
}

/** Ranks of the labels as they are now, and each label's forwarding, download and marking policy; the comparisons every rule makes. */
export class LabelRanks {
  private readonly ranks: ReadonlyMap<string, number>;
  private readonly forwardings: ReadonlyMap<string, ForwardingPolicy>;
  private readonly downloads: ReadonlyMap<string, boolean>;
  private readonly markings: ReadonlyMap<string, boolean>;

  constructor(labels: readonly Pick<Label, 'id' | 'rank' | 'forwarding' | 'downloadAllowed' | 'marked'>[]) {
    this.ranks = new Map(labels.map((label) => [label.id, label.rank]));
    this.forwardings = new Map(labels.map((label) => [label.id, label.forwarding]));
    this.downloads = new Map(labels.map((label) => [label.id, label.downloadAllowed]));
    this.markings = new Map(labels.map((label) => [label.id, label.marked]));
  }

  /** Whether what carries this label is watermarked in rooms marked by label. */
  marked(labelId: string): boolean {
    const marked = this.markings.get(labelId);
    if (marked === undefined) throw new AppError('LABEL_NOT_FOUND', { labelId });
    return marked;
  }

  /** Whether files with this label (or carried by a message with it) may be downloaded, not only viewed. */
  downloadAllowed(labelId: string): boolean {
    const allowed = this.downloads.get(labelId);
    if (allowed === undefined) throw new AppError('LABEL_NOT_FOUND', { labelId });
    return allowed;
  }

  forwardingOf(labelId: string): ForwardingPolicy {
    const policy = this.forwardings.get(labelId);
    if (policy === undefined) throw new AppError('LABEL_NOT_FOUND', { labelId });
    return policy;
  }

  rankOf(labelId: string): number {
    const rank = this.ranks.get(labelId);
    if (rank === undefined) throw new AppError('LABEL_NOT_FOUND', { labelId });
    return rank;
  }

  /** True when `label` may go where `ceiling` is the limit. */
  fits(label: string, ceiling: string): boolean {
    return this.rankOf(label) <= this.rankOf(ceiling);
  }

  /** The labels ranked above `ceiling`, most sensitive last. */
  above(ceiling: string): string[] {
    const limit = this.rankOf(ceiling);
    return [...this.ranks].filter(([, rank]) => rank > limit).sort((a, b) => a[1] - b[1]).map(([id]) => id);
  }

  /** The labels a clearance reaches: its own and every one ranked below it. */
  within(clearance: string): string[] {
    const limit = this.rankOf(clearance);
    return [...this.ranks].filter(([, rank]) => rank <= limit).map(([id]) => id);
  }

  lowest(...labels: string[]): string {
    return labels.reduce((low, label) => (this.rankOf(label) < this.rankOf(low) ? label : low));
  }

  highest(...labels: string[]): string {
    return labels.reduce((high, label) => (this.rankOf(label) > this.rankOf(high) ? label : high));
  }
}

export class LabelsService {
  private readonly rankCopy = new NodeCache(10_000, async () => new LabelRanks((await listLabelRows(this.db)).map(toWireLabel)));

  constructor(
    private readonly db: Kysely<Database>,
    caches: SharedCaches,
  ) {
    caches.share('label-ranks', this.rankCopy);
  }

  async list(): Promise<Label[]> {
    return (await listLabelRows(this.db)).map(toWireLabel);
  }

  /** The ranks every rule compares. Every send checks them, so they are kept for a few seconds, not read per send. */
  async ranks(): Promise<LabelRanks> {
    return this.rankCopy.get();
  }

  /** The people among `userIds` whose clearance is below `ceiling`. */
  async clearedBelow(userIds: readonly string[], ceiling: string, ranks: LabelRanks): Promise<string[]> {
    const clearances = await clearancesOf(this.db, userIds);
    return userIds.filter((id) => !ranks.fits(ceiling, clearances.get(id) ?? DEFAULT_LABEL));
  }

  async create(actor: Actor, input: LabelCreateRequest): Promise<Label> {
    if (await findLabelRow(this.db, input.id)) throw new AppError('LABEL_EXISTS');
    const count = (await listLabelRows(this.db)).length;
    const row: LabelRow = {
      id: input.id,
      rank: Math.min(input.rank, count),
      name_en: input.names.en,
      name_zh: input.names['zh-CN'],
      colour: input.colour,
      created_at: Date.now(),
      forwarding: input.forwarding,
      copy_allowed: input.copyAllowed ? 1 : 0,
      download_allowed: input.downloadAllowed ? 1 : 0,
      marked: input.marked ? 1 : 0,
    };
    await this.db.transaction().execute(async (trx) => {
      await insertLabelAt(trx, row);
      await recordAudit(trx, { actorId: actor.userId, action: 'label.created', target: { type: 'label', id: row.id }, data: { rank: row.rank }, ip: actor.ip });
    });
    this.rankCopy.clear();
    return toWireLabel((await findLabelRow(this.db, input.id))!);
  }

  async update(actor: Actor, id: string, changes: LabelUpdateRequest): Promise<Label> {
    if (!(await findLabelRow(this.db, id))) throw new AppError('LABEL_NOT_FOUND');
    await this.db.transaction().execute(async (trx) => {
      await updateLabelRow(trx, id, {
        ...(changes.names ? { name_en: changes.names.en, name_zh: changes.names['zh-CN'] } : {}),
        ...(changes.colour ? { colour: changes.colour } : {}),
        ...(changes.forwarding !== undefined ? { forwarding: changes.forwarding } : {}),
        ...(changes.copyAllowed !== undefined ? { copy_allowed: changes.copyAllowed ? 1 : 0 } : {}),
        ...(changes.downloadAllowed !== undefined ? { download_allowed: changes.downloadAllowed ? 1 : 0 } : {}),
        ...(changes.marked !== undefined ? { marked: changes.marked ? 1 : 0 } : {}),
      });
      await recordAudit(trx, { actorId: actor.userId, action: 'label.updated', target: { type: 'label', id }, data: changes, ip: actor.ip });
    });
    this.rankCopy.clear();
    return toWireLabel((await findLabelRow(this.db, id))!);
  }
}
