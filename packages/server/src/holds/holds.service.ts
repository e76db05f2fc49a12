import { randomUUID } from 'node:crypto';
import type { HoldCoverage, HoldMatter } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { scopeQuery } from './hold-coverage';
import { openHoldText, sealHoldText } from './hold-text.codec';
import { coverageOf } from './holds.access';
import { findHoldRow, insertHold, listHoldRows, updateHoldRow, type HoldRow } from './holds.repository';

export interface HoldsDeps {
  db: Kysely<Database>;
  /** Seals matters' names and descriptions, and the audit entries' content. */
  keys: Keyring;
}

/**
 * Legal hold matters: the compliance officer places, changes and releases them; each change is audited in its own
 * transaction, the matter's name and description as sealed content, the coverage (ids and dates) as data. What a
 * hold keeps is enforced where content is erased (holds.access.ts), not here.
 */
export class HoldsService {
  constructor(private readonly deps: HoldsDeps) {}

  async list(includeReleased: boolean): Promise<HoldMatter[]> {
    return (await listHoldRows(this.deps.db, includeReleased)).map((row) => this.toWire(row));
  }

  async create(actor: Actor, input: { name: string; description: string; covers: HoldCoverage }): Promise<HoldMatter> {
    const { keys } = this.deps;
    const id = randomUUID();
    const now = Date.now();
    const row: HoldRow = {
      id,
      name: sealHoldText(keys, id, 'name', input.name),
      description: sealHoldText(keys, id, 'description', input.description),
      ...coverageColumns(input.covers),
      created_by: actor.userId,
      created_at: now,
      updated_at: now,
      released_at: null,
      released_by: null,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      await insertHold(trx, row);
      await recordAudit(trx, { actorId: actor.userId, action: 'hold.created', target: { type: 'legal_hold', id }, data: { covers: scopeQuery(coverageOf(row)) }, content: { name: input.name, description: input.description }, keys, ip: actor.ip });
    });
    return this.toWire(row);
  }

  async update(actor: Actor, holdId: string, changes: { name?: string | undefined; description?: string | undefined; covers?: HoldCoverage | undefined }): Promise<HoldMatter> {
    const { keys } = this.deps;
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await findHoldRow(trx, holdId);
      if (!row) throw new AppError('HOLD_NOT_FOUND');
      if (row.released_at !== null) throw new AppError('HOLD_RELEASED');
      await updateHoldRow(trx, holdId, {
        ...(changes.name === undefined ? {} : { name: sealHoldText(keys, holdId, 'name', changes.name) }),
        ...(changes.description === undefined ? {} : { description: sealHoldText(keys, holdId, 'description', changes.description) }),
        ...(changes.covers === undefined ? {} : coverageColumns(changes.covers)),
        updated_at: Date.now(),
      });
      const content = { ...(changes.name === undefined ? {} : { name: changes.name }), ...(changes.description === undefined ? {} : { description: changes.description }) };
      const data = { before: scopeQuery(coverageOf(row)), ...(changes.covers === undefined ? {} : { covers: changes.covers }) };
      await recordAudit(trx, { actorId: actor.userId, action: 'hold.updated', target: { type: 'legal_hold', id: holdId }, data, content, keys, ip: actor.ip });
    });
    return this.current(holdId);
  }

  /** Releasing is final: what only this hold kept may be deleted and purged again from now on. */
  async release(actor: Actor, holdId: string): Promise<HoldMatter> {
    await this.deps.db.transaction().execute(async (trx) => {
      const row = await findHoldRow(trx, holdId);
      if (!row) throw new AppError('HOLD_NOT_FOUND');
      if (row.released_at !== null) throw new AppError('HOLD_RELEASED');
      await updateHoldRow(trx, holdId, { released_at: Date.now(), released_by: actor.userId, updated_at: Date.now() });
      await recordAudit(trx, { actorId: actor.userId, action: 'hold.released', target: { type: 'legal_hold', id: holdId }, ip: actor.ip });
    });
    return this.current(holdId);
  }

  private async current(holdId: string): Promise<HoldMatter> {
    const row = await findHoldRow(this.deps.db, holdId);
    if (!row) throw new AppError('HOLD_NOT_FOUND');
    return this.toWire(row);
  }

  private toWire(row: HoldRow): HoldMatter {
    const { keys } = this.deps;
    return {
      id: row.id,
      name: openHoldText(keys, row.id, 'name', row.name),
      description: openHoldText(keys, row.id, 'description', row.description),
      covers: scopeQuery(coverageOf(row)),
      createdBy: row.created_by,
      createdAt: iso(row.created_at),
      updatedAt: iso(row.updated_at),
      releasedAt: row.released_at === null ? null : iso(row.released_at),
      releasedBy: row.released_by,
    };
  }
}

function coverageColumns(covers: HoldCoverage): Pick<HoldRow, 'custodian_ids' | 'room_ids' | 'from_at' | 'to_at'> {
  return {
    custodian_ids: JSON.stringify([...new Set(covers.custodianIds)]),
    room_ids: JSON.stringify([...new Set(covers.roomIds)]),
    from_at: covers.from === undefined ? null : Date.parse(covers.from),
    to_at: covers.to === undefined ? null : Date.parse(covers.to),
  };
}

function iso(time: number): string {
  return new Date(Number(time)).toISOString();
}
