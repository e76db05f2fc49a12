import { createHash } from 'node:crypto';
import type { DeletionCertificate, Message, OfficerRoom, Room } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { DialectName } from '../db/database';
import { reclaimAfterDeletion } from '../db/reclaim';
import type { WalCheckpoints } from '../db/wal-checkpoints';
import type { Database } from '../db/schema';
import { fileKeyOwner, roomKeyOwner, type Keyring } from '../keys/keyring';
import type { FilesService } from '../files/files.service';
import { AppError } from '../http/app-error';
import { requireNoHoldOnRoom } from '../holds/holds.access';
import { hydrateMessages } from '../messages/message-hydrate';
import { unindexRoom } from '../search/search-index';
import type { EventLog } from '../events/event-log';
import { toHtmlTranscript, toJsonLines, type ExportInput } from './room-export';
import type { SettingsService } from '../settings/settings.service';
import { dmPeople, eraseRoom, findOfficerExport, ownersOf, peopleByIds, roomMessages, searchRooms, setFrozen } from './room-lifecycle.repository';
import { toWireRoom } from './room-wire';
import { forgetRoomTexts, openRoomRow, openRoomRows, prepareRoomKey, roomKeyFor, sealRoomText } from './room-text.codec';
import { findRoom, findRoomForMember, listMembers, type RoomRow } from './rooms.repository';

export interface RoomLifecycleDeps {
  db: Kysely<Database>;
  dialect: DialectName;
  /** SQLite's write-ahead log, emptied once deletions have committed (db/reclaim.ts). */
  wal?: WalCheckpoints | undefined;
  eventLog: EventLog;
  files: FilesService;
  /** Rooms' words are sealed with their keys; a deletion destroys them. */
  keys: Keyring;
  log: { warn: (details: object, message: string) => void };
  /** The records policy: whether a room is deleted only after an officer's export. */
  settings: SettingsService;
}

/**
 * Shutting rooms down, the order "close these work groups and delete them": freeze (read-only, with a reason),
 * export, then irreversible deletion that leaves a certificate in the audit log. Admin only; an admin works on a
 * room here without being a member, and every step is audited.
 */
export class RoomLifecycleService {
  constructor(private readonly deps: RoomLifecycleDeps) {}

  async freeze(actor: Actor, roomId: string, reason: string): Promise<Room> {
    await this.requireRoom(roomId);
    const { keys } = this.deps;
    await prepareRoomKey(this.deps.db, keys, roomId);
    return this.deps.eventLog.write(async (trx, log) => {
      const sealed = sealRoomText(keys, await roomKeyFor(trx, keys, roomId), roomId, 'frozen-reason', reason);
      await setFrozen(trx, roomId, { at: Date.now(), by: actor.userId, reason: sealed ?? '' });
      const room = toWireRoom(await openRoomRow(trx, keys, (await findRoom(trx, roomId))!));
      await recordAudit(trx, { actorId: actor.userId, action: 'room.frozen', target: { type: 'room', id: roomId }, content: { reason }, keys, ip: actor.ip });
      await log.append({ roomId }, { type: 'room.updated', room });
      return room;
    });
  }

  async unfreeze(actor: Actor, roomId: string): Promise<Room> {
    await this.requireRoom(roomId);
    return this.deps.eventLog.write(async (trx, log) => {
      await setFrozen(trx, roomId, null);
      const room = toWireRoom(await openRoomRow(trx, this.deps.keys, (await findRoom(trx, roomId))!));
      await recordAudit(trx, { actorId: actor.userId, action: 'room.unfrozen', target: { type: 'room', id: roomId }, ip: actor.ip });
      await log.append({ roomId }, { type: 'room.updated', room });
      return room;
    });
  }

  /**
   * The export of a frozen room, audited, since it shows the exporter the conversation. Reading a room one is not
   * in is a compliance officer's duty, not an administrator's: an admin exports only rooms they are a member of.
   */
  async export(actor: Actor, roomId: string, format: 'jsonl' | 'html'): Promise<string> {
    await this.requireExporter(actor, roomId);
    const row = await this.requireFrozen(roomId);
    const input = await this.exportInput(row);
    const content = format === 'jsonl' ? toJsonLines(input) : toHtmlTranscript(input);
    await this.deps.db.transaction().execute((trx) =>
      recordAudit(trx, {
        actorId: actor.userId,
        action: 'room.exported',
        target: { type: 'room', id: roomId },
        data: { format, messages: input.messages.length, sha256: sha256(content), byRole: actor.role },
        ip: actor.ip,
      }),
    );
    return content;
  }

  /**
   * Deletes a frozen room for good: its messages, reactions, versions, read marks, memberships, held messages,
   * fingerprints and the files only it carries go, and in the same transaction its data key and those files' keys
   * are destroyed (crypto-shredding: what the database, its log or a backup still holds of the room no longer
   * opens). The certificate (with the SHA-256 of the export taken just before) goes into the audit log, its room
   * name and reason sealed there. Members see the room disappear live. A room a legal hold keeps anything of is
   * refused with LEGAL_HOLD before anything is erased or shredded.
   */
  async delete(actor: Actor, roomId: string): Promise<DeletionCertificate> {
    const certificate = await this.deleteOne(actor, roomId);
    await this.reclaim();
    return certificate;
  }

  private async deleteOne(actor: Actor, roomId: string): Promise<DeletionCertificate> {
    const row = await this.requireFrozen(roomId);
    // A hold first: no archive would let the room go while one keeps anything of it.
    await requireNoHoldOnRoom(this.deps.db, this.deps.keys, roomId);
    const archive = await this.requireArchive(row);
    const exportSha256 = sha256(toJsonLines(await this.exportInput(row)));
    const memberIds = (await listMembers(this.deps.db, roomId)).map((member) => member.user_id);
    const { keys } = this.deps;
    const { certificate, storageKeys } = await this.deps.eventLog.write(async (trx, log) => {
      // Checked again in the erasing transaction, so a hold placed since the caller's check is still obeyed.
      await requireNoHoldOnRoom(trx, keys, roomId);
      await unindexRoom(trx, roomId);
      const erased = await eraseRoom(trx, roomId);
      const roomKeys = await keys.destroy(trx, [roomKeyOwner(roomId)]);
      forgetRoomTexts(keys, roomId);
      const fileKeys = await keys.destroy(trx, erased.files.map((file) => fileKeyOwner(file.id)));
      const certificate: DeletionCertificate = {
        roomId,
        roomName: row.name,
        kind: row.kind,
        deletedAt: new Date().toISOString(),
        deletedBy: actor.userId,
        messagesDeleted: erased.messages,
        membersRemoved: erased.members,
        filesDeleted: erased.files.length,
        exportSha256,
        archive,
        frozenReason: row.frozen_reason ?? '',
        heldMessagesDeleted: erased.held,
        keyDestroyed: roomKeys === 1,
        dataKeysDestroyed: roomKeys + fileKeys,
      };
      // The stored entry shows the counts; the room's name and the reason are its words, sealed by the audit log.
      const { roomName: _name, frozenReason: _reason, ...counts } = certificate;
      await recordAudit(trx, { actorId: actor.userId, action: 'room.deleted', target: { type: 'room', id: roomId }, data: { certificate: counts }, content: { certificate }, keys, ip: actor.ip });
      // The room is gone, so each former member hears it on their own; the first event also drops the routing.
      for (const [index, userId] of memberIds.entries()) {
        await log.append({ userId }, { type: 'room.deleted', roomId }, index === 0 ? { membership: { roomId, removed: memberIds } } : {});
      }
      return { certificate, storageKeys: erased.files.map((file) => file.storage_key) };
    });
    await this.deps.files.removeStored(storageKeys);
    return certificate;
  }

  /** Once deletions have committed, the database gives up what it still holds of them (db/reclaim.ts). */
  private async reclaim(): Promise<void> {
    try {
      await reclaimAfterDeletion(this.deps);
    } catch (error) {
      // The deletion stands and its keys are gone; only the tidying failed, and the next deletion tries again.
      this.deps.log.warn({ err: error }, 'reclaiming space after a room deletion failed');
    }
  }

  async search(filter: { q?: string | undefined; departmentId?: string | undefined; idleDays?: number | undefined; limit: number; cursor?: string | undefined }) {
    const rows = await this.matchingRooms({
      q: filter.q,
      departmentId: filter.departmentId,
      idleBefore: filter.idleDays === undefined ? undefined : Date.now() - filter.idleDays * 86_400_000,
      after: filter.cursor === undefined ? undefined : decodeCursor(filter.cursor),
      limit: filter.limit + 1,
    });
    const page = rows.slice(0, filter.limit);
    const owners = await ownersOf(this.deps.db, page.map((room) => room.id));
    const last = page.at(-1);
    return {
      rooms: page.map((room) => ({ ...toWireRoom(room), ownerIds: owners.get(room.id) ?? [] })),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(Number(last.created_at), last.id) : null,
    };
  }

  /** The compliance officer's room picker: a direct message is found by its people's names, and shows their ids. */
  async searchForOfficer(filter: { q?: string | undefined; limit: number; cursor?: string | undefined }): Promise<{ rooms: OfficerRoom[]; nextCursor: string | null }> {
    const rows = await this.matchingRooms({ q: filter.q, after: filter.cursor === undefined ? undefined : decodeCursor(filter.cursor), limit: filter.limit + 1 }, true);
    const page = rows.slice(0, filter.limit);
    const people = await dmPeople(this.deps.db, page.filter((room) => room.kind === 'dm').map((room) => room.id));
    const last = page.at(-1);
    return {
      rooms: page.map((room) => ({
        id: room.id,
        kind: room.kind,
        name: room.name,
        memberIds: (people.get(room.id) ?? []).map((person) => person.id),
        ceiling: room.ceiling,
        frozen: room.frozen_at !== null,
        memberCount: Number(room.member_count),
        createdAt: new Date(Number(room.created_at)).toISOString(),
      })),
      nextCursor: rows.length > filter.limit && last ? encodeCursor(Number(last.created_at), last.id) : null,
    };
  }

  async freezeMany(actor: Actor, roomIds: string[], reason: string): Promise<Room[]> {
    for (const roomId of roomIds) await this.requireRoom(roomId);
    const rooms: Room[] = [];
    for (const roomId of roomIds) rooms.push(await this.freeze(actor, roomId, reason));
    return rooms;
  }

  /**
   * All rooms must exist, be frozen and be free of legal holds before any is deleted, so a mistake in the list
   * (or one held room) deletes nothing.
   */
  async deleteMany(actor: Actor, roomIds: string[]): Promise<DeletionCertificate[]> {
    const unique = [...new Set(roomIds)];
    const notFrozen: string[] = [];
    for (const roomId of unique) if ((await this.requireRoom(roomId)).frozen_at === null) notFrozen.push(roomId);
    if (notFrozen.length > 0) throw new AppError('ROOM_NOT_FROZEN', { roomIds: notFrozen });
    for (const roomId of unique) await requireNoHoldOnRoom(this.deps.db, this.deps.keys, roomId);
    const notArchived: string[] = [];
    for (const roomId of unique) if (!(await this.archiveOf(await this.requireRoom(roomId)))) notArchived.push(roomId);
    if (notArchived.length > 0) throw new AppError('ROOM_NOT_ARCHIVED', { roomIds: notArchived });
    const certificates: DeletionCertificate[] = [];
    for (const roomId of unique) certificates.push(await this.deleteOne(actor, roomId));
    await this.reclaim();
    return certificates;
  }

  /**
   * Up to `limit` rooms in (created_at, id) order matching the filters. Names are sealed, so a name fragment is
   * matched on opened names here, reading the filtered rooms a page at a time: at 10 000 rooms a search that
   * matches little opens every name once (a few microseconds each), which is cheaper than keeping a second,
   * token-hashed copy of every name in step with renames. With `dmsByPeople`, a direct message (which has no name)
   * matches by its people's display names and usernames.
   */
  private async matchingRooms(
    filter: { q?: string | undefined; departmentId?: string | undefined; idleBefore?: number | undefined; after?: { createdAt: number; id: string } | undefined; limit: number },
    dmsByPeople = false,
  ): Promise<RoomRow[]> {
    const needle = filter.q?.toLowerCase();
    const found: RoomRow[] = [];
    let after = filter.after;
    for (;;) {
      const pageSize = needle ? Math.max(SEARCH_PAGE, filter.limit) : filter.limit;
      const rows = await openRoomRows(this.deps.db, this.deps.keys, await searchRooms(this.deps.db, { departmentId: filter.departmentId, idleBefore: filter.idleBefore, after, limit: pageSize }));
      const people = needle && dmsByPeople ? await dmPeople(this.deps.db, rows.filter((row) => row.kind === 'dm').map((row) => row.id)) : undefined;
      for (const row of rows) {
        const text = row.kind === 'dm' && people ? (people.get(row.id) ?? []).map((person) => `${person.displayName} ${person.username}`).join(' ') : (row.name ?? '');
        if (needle && !text.toLowerCase().includes(needle)) continue;
        found.push(row);
        if (found.length === filter.limit) return found;
      }
      const last = rows.at(-1);
      if (rows.length < pageSize || !last) return found;
      after = { createdAt: Number(last.created_at), id: last.id };
    }
  }

  /** The room with its name, topic and freeze reason opened. */
  private async requireRoom(roomId: string): Promise<RoomRow> {
    const room = await findRoom(this.deps.db, roomId);
    if (!room) throw new AppError('ROOM_NOT_FOUND');
    return openRoomRow(this.deps.db, this.deps.keys, room);
  }

  private async requireExporter(actor: Actor, roomId: string): Promise<void> {
    if (actor.role === 'compliance') return;
    if (actor.role !== 'admin') throw new AppError('ADMIN_REQUIRED');
    if (!(await findRoomForMember(this.deps.db, roomId, actor.userId))) throw new AppError('EXPORT_NEEDS_COMPLIANCE');
  }

  /**
   * What the records policy asks before a frozen room goes: an officer's export taken since it was frozen, or
   * nothing when the policy keeps no archive (ROOM_NOT_ARCHIVED otherwise). The answer goes into the certificate.
   */
  private async requireArchive(row: RoomRow): Promise<Archive> {
    const archive = await this.archiveOf(row);
    if (!archive) throw new AppError('ROOM_NOT_ARCHIVED', { roomIds: [row.id] });
    return archive;
  }

  private async archiveOf(row: RoomRow): Promise<Archive | undefined> {
    if (!(await this.deps.settings.getSettings()).archiveBeforeRoomDeletion) return { basis: 'not-required' };
    const exported = await findOfficerExport(this.deps.db, row.id, Number(row.frozen_at));
    return exported && { basis: 'officer-export', exportedBy: exported.actorId, exportedAt: new Date(exported.at).toISOString(), sha256: exported.sha256 };
  }

  private async requireFrozen(roomId: string): Promise<RoomRow> {
    const room = await this.requireRoom(roomId);
    if (room.frozen_at === null) throw new AppError('ROOM_NOT_FROZEN', { roomIds: [roomId] });
    return room;
  }

  private async exportInput(row: RoomRow): Promise<ExportInput> {
    const messages: Message[] = [];
    for await (const page of roomMessages(this.deps.db, row.id)) messages.push(...(await hydrateMessages(this.deps.db, this.deps.keys, page)));
    const members = (await listMembers(this.deps.db, row.id)).map((member) => ({ userId: member.user_id, role: member.role }));
    const ids = [...new Set([...members.map((m) => m.userId), ...messages.map((m) => m.senderId)])];
    const people = new Map((await peopleByIds(this.deps.db, ids)).map((p) => [p.id, { id: p.id, username: p.username, displayName: p.display_name }]));
    return { room: toWireRoom(row), members, people, messages, asOf: new Date(Number(row.frozen_at)).toISOString() };
  }
}

const SEARCH_PAGE = 1000;

type Archive = NonNullable<DeletionCertificate['archive']>;

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

function encodeCursor(createdAt: number, id: string): string {
  return Buffer.from(JSON.stringify([createdAt, id])).toString('base64url');
}

function decodeCursor(cursor: string): { createdAt: number; id: string } {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString()) as [number, string];
    if (typeof createdAt === 'number' && typeof id === 'string') return { createdAt, id };
  } catch {
    // Falls through to the validation error below.
  }
  throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'cursor', message: 'not a cursor from this API' }] });
}
