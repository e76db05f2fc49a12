import type { AuditCheckpoint, AuditEntry } from '@enclave/protocol';
import { stringify } from 'csv-stringify/sync';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { readCheckpointFile } from '../audit/audit-checkpoint-file';
import type { AuditCheckpointer } from '../audit/audit-checkpointer';
import { openAuditData, recordAudit, verifyAuditLog, type AuditAction } from '../audit/audit.service';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import { roomNames } from '../rooms/rooms.access';
import { displayNamesOf } from '../users/users.access';
import { latestAuditEntries, type AuditFilter } from './compliance.repository';

export interface AuditLogDeps {
  db: Kysely<Database>;
  /** Opens the audit log's sealed content and rooms' names. */
  keys: Keyring;
  checkpoints: AuditCheckpointer;
}

/** The filter as it travels (ISO times) before it meets the database (milliseconds). */
export interface AuditFilterInput {
  action?: string | undefined;
  actorId?: string | undefined;
  roomId?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
}

/** Entries read per query while exporting, so a long log is never loaded in one piece of SQL. */
const EXPORT_PAGE = 1000;
/** What an id in an entry looks like: generated, without spaces; anything else is not worth a lookup. */
const ID_SHAPE = /^[\w-]{8,64}$/;

/**
 * The audit log as the compliance officer reads it: filtered pages with the names of the people and rooms they
 * mention, a CSV export, and the signed checkpoints that anchor it outside the database. Every reading is itself
 * audited.
 */
export class AuditLogService {
  constructor(private readonly deps: AuditLogDeps) {}

  /** A page of the audit log, newest first, its names, and whether the whole hash chain still verifies. */
  async list(actor: Actor, options: AuditFilterInput & { before?: number | undefined; limit: number }): Promise<{ entries: AuditEntry[]; chainIntact: boolean; names: Record<string, string> }> {
    const filter = toFilter(options);
    const [rows, verification] = await Promise.all([latestAuditEntries(this.deps.db, filter, options), verifyAuditLog(this.deps.db)]);
    const entries = rows.map((row) => this.toEntry(row));
    await this.audit(actor, 'compliance.audit_viewed', { ...filterData(options), ...(options.before === undefined ? {} : { before: options.before }), count: rows.length });
    return { entries, chainIntact: verification.ok, names: Object.fromEntries(await this.namesOf(entries)) };
  }

  /** Every entry matching the filter as CSV, newest first, with names beside ids; the export is audited. */
  async exportCsv(actor: Actor, options: AuditFilterInput): Promise<string> {
    const filter = toFilter(options);
    const lines: string[] = [stringify([['seq', 'time', 'actor_id', 'actor_name', 'action', 'target_type', 'target_id', 'target_name', 'details', 'ip', 'hash']])];
    let before: number | undefined;
    let count = 0;
    for (;;) {
      const rows = await latestAuditEntries(this.deps.db, filter, { before, limit: EXPORT_PAGE });
      const entries = rows.map((row) => this.toEntry(row));
      const names = await this.namesOf(entries);
      const nameOf = (id: string | null | undefined) => (id ? (names.get(id) ?? '') : '');
      lines.push(
        stringify(
          entries.map((entry) => [entry.seq, entry.at, entry.actorId ?? '', nameOf(entry.actorId), entry.action, entry.target?.type ?? '', entry.target?.id ?? '', nameOf(entry.target?.id), detailsText(entry.data), entry.ip ?? '', entry.hash]),
        ),
      );
      count += rows.length;
      if (rows.length < EXPORT_PAGE) break;
      before = rows[rows.length - 1]!.seq;
    }
    await this.audit(actor, 'compliance.audit_exported', { ...filterData(options), count });
    return lines.join('');
  }

  /** The latest signed checkpoints and the public key that checks them. */
  async listCheckpoints(actor: Actor, limit: number): Promise<{ checkpoints: AuditCheckpoint[]; keyId: string; publicKeyPem: string }> {
    const { checkpoints } = this.deps;
    const latest = await checkpoints.latest(limit);
    await this.audit(actor, 'compliance.checkpoints_viewed', { count: latest.length });
    return { checkpoints: latest, keyId: checkpoints.keyId, publicKeyPem: checkpoints.publicKeyPem };
  }

  /**
   * The checkpoints file as it is on disk (not rebuilt from the table, which someone rewriting the database could
   * change too), to keep elsewhere.
   */
  async checkpointsFile(actor: Actor): Promise<string> {
    const text = await readCheckpointFile(this.deps.checkpoints.file);
    await this.audit(actor, 'compliance.checkpoints_downloaded', { bytes: Buffer.byteLength(text) });
    return text;
  }

  private toEntry(row: Awaited<ReturnType<typeof latestAuditEntries>>[number]): AuditEntry {
    return {
      seq: row.seq,
      at: new Date(row.at).toISOString(),
      actorId: row.actor_id,
      action: row.action,
      target: row.target_type === null ? null : { type: row.target_type, id: row.target_id ?? '' },
      data: openAuditData(this.deps.keys, row.seq, row.data),
      ip: row.ip,
      hash: row.hash,
    };
  }

  /** People's display names and rooms' names for every id the entries mention: two queries, whatever the page. */
  private async namesOf(entries: readonly AuditEntry[]): Promise<Map<string, string>> {
    const ids = new Set<string>();
    const collect = (value: unknown): void => {
      if (typeof value === 'string' && ID_SHAPE.test(value)) ids.add(value);
      else if (Array.isArray(value)) value.forEach(collect);
    };
    for (const entry of entries) {
      collect(entry.actorId);
      collect(entry.target?.id);
      Object.values(entry.data).forEach(collect);
    }
    const wanted = [...ids];
    const [people, rooms] = await Promise.all([displayNamesOf(this.deps.db, wanted), roomNames(this.deps.db, this.deps.keys, wanted)]);
    const names = new Map(people);
    for (const [id, name] of rooms) if (name !== null) names.set(id, name);
    return names;
  }

  private async audit(actor: Actor, action: AuditAction, data: Record<string, unknown>): Promise<void> {
    await this.deps.db.transaction().execute((trx) => recordAudit(trx, { actorId: actor.userId, action, data, ip: actor.ip }));
  }
}

function toFilter(input: AuditFilterInput): AuditFilter {
  return {
    action: input.action,
    actorId: input.actorId,
    roomId: input.roomId,
    from: input.from === undefined ? undefined : Date.parse(input.from),
    to: input.to === undefined ? undefined : Date.parse(input.to),
  };
}

/** The filter as recorded in the audit entry of a reading, only the parts given: ids and times, never content. */
function filterData(input: AuditFilterInput): Record<string, string> {
  const { action, actorId, roomId, from, to } = input;
  return Object.fromEntries(Object.entries({ action, actorId, roomId, from, to }).filter((entry): entry is [string, string] => entry[1] !== undefined));
}

/** An entry's details in one CSV cell: `key: value` pairs, structured values as JSON. */
function detailsText(data: Record<string, unknown>): string {
  return Object.entries(data)
    .map(([key, value]) => `${key}: ${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join('; ');
}
