import { itemMarked, singleSymbolCorrections, type TraceItemKind, type TraceMark, type TraceResolution, type TraceViewer } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import type { FileAccess } from '../files/file-access';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import type { LabelRanks, LabelsService } from '../labels/labels.service';
import { findReadableMessage } from '../messages/messages.access';
import { findRooms, roomNames, toWireRoom } from '../rooms/rooms.access';
import type { RoomsService } from '../rooms/rooms.service';
import { displayNamesOf, findUserRowById } from '../users/users.access';
import { randomTraceCode } from './trace-code-random';
import { traceCandidatesIn } from './trace-candidates';
import { findRecentTraceMark, findTraceMarks, insertTraceMark, setStampedCopy, type TraceMarkRow } from './tracing.repository';

/** A viewer's code for the same view is reused this long, so reloading a room does not add a row each time. */
export const TRACE_MARK_REUSE_MS = 10 * 60_000;

/** The kinds a viewer's request issues codes for; an export's code is issued by the export itself (issueExportMark). */
export type IssuableTraceKind = Exclude<TraceItemKind, 'export'>;

/** Facts about a stamped copy a code was stamped into: its SHA-256 and, as JSON, its type or pages (never content). */
export interface StampedCopy {
  sha256: string;
  details?: Record<string, unknown>;
}

export interface TracingDeps {
  db: Kysely<Database>;
  rooms: RoomsService;
  files: FileAccess;
  labels: LabelsService;
  /** Opens the names of the rooms a resolution shows. */
  keys: Keyring;
}

interface TracedItem {
  marked: boolean;
  /** The room the item is seen in: for a file reached through several, one whose policy marks it. */
  roomId: string | null;
}

/**
 * Trace codes: issued to a viewer for an item they may see where the marking policy puts a watermark on it, and
 * resolved for a compliance officer back to who, what and when. The records hold no content.
 */
export class TracingService {
  constructor(private readonly deps: TracingDeps) {}

  /**
   * Whether the marking policy puts a watermark on this item for this viewer, loading it as reading it would: an
   * item they may not see answers ROOM_NOT_FOUND, MESSAGE_NOT_FOUND or FILE_NOT_FOUND like one that does not exist.
   */
  async markingFor(viewer: Pick<Actor, 'userId'>, kind: IssuableTraceKind, itemId: string): Promise<TracedItem> {
    const ranks = await this.deps.labels.ranks();
    if (kind === 'room-view') {
      const room = await this.deps.rooms.requireRoomAccess(viewer, itemId);
      return { marked: Number(room.marked) === 1, roomId: room.id };
    }
    if (kind === 'message-copy') return this.messageMarking(viewer, itemId, ranks);
    return this.fileMarking(viewer, itemId, ranks);
  }

  /**
   * The viewer's trace code for an item, or undefined where no mark applies (nothing is recorded then). A code for
   * the same view issued to the same viewer within TRACE_MARK_REUSE_MS is given again; a stamped download always
   * gets a code of its own, since each stamped copy is recorded (`recordStampedCopy`).
   */
  async issueMark(viewer: Pick<Actor, 'userId'>, kind: IssuableTraceKind, itemId: string): Promise<TraceMark | undefined> {
    const item = await this.markingFor(viewer, kind, itemId);
    if (!item.marked) return undefined;
    const person = await findUserRowById(this.deps.db, viewer.userId);
    if (!person) throw new AppError('USER_NOT_FOUND');
    const now = Date.now();
    const recent = kind === 'file-download' ? undefined : await findRecentTraceMark(this.deps.db, viewer.userId, kind, itemId, now - TRACE_MARK_REUSE_MS);
    const row = recent ?? (await this.insertFresh({ viewer_id: person.id, viewer_username: person.username, kind, item_id: itemId, room_id: item.roomId, issued_at: now }));
    return { code: row.code, kind, itemId, issuedAt: iso(row.issued_at), viewer: { id: person.id, displayName: person.display_name, username: person.username } };
  }

  /**
   * A fresh code for one eDiscovery export, issued to the officer who asked for it: the export prints it in its
   * transcript and EMLs and signs it into its manifest, whose SHA-256 is then bound to it (`recordStampedCopy`).
   */
  async issueExportMark(officer: Pick<Actor, 'userId'>, exportId: string): Promise<TraceMark> {
    const person = await findUserRowById(this.deps.db, officer.userId);
    if (!person) throw new AppError('USER_NOT_FOUND');
    const row = await this.insertFresh({ viewer_id: person.id, viewer_username: person.username, kind: 'export', item_id: exportId, room_id: null, issued_at: Date.now() });
    return { code: row.code, kind: 'export', itemId: exportId, issuedAt: iso(row.issued_at), viewer: { id: person.id, displayName: person.display_name, username: person.username } };
  }

  /** Binds the copy a code was stamped into to that code, so a leaked copy can be matched byte for byte. */
  async recordStampedCopy(code: string, copy: StampedCopy): Promise<void> {
    await setStampedCopy(this.deps.db, code, { sha256: copy.sha256, details: copy.details ? JSON.stringify(copy.details) : null });
  }

  /** What a code was issued for, when it was issued to this viewer; undefined for anyone else's or none. */
  async issuedTo(viewer: Pick<Actor, 'userId'>, code: string): Promise<{ kind: TraceItemKind; itemId: string } | undefined> {
    const [row] = await findTraceMarks(this.deps.db, [code]);
    return row?.viewer_id === viewer.userId ? { kind: row.kind, itemId: row.item_id } : undefined;
  }

  /**
   * Every code in a typed code or pasted text, resolved to who it was issued to, for what and when. Audited with
   * the codes and what each resolved to, never the text: a leak's text is evidence, not a log entry.
   */
  async resolve(officer: Actor, text: string): Promise<TraceResolution[]> {
    const candidates = traceCandidatesIn(text);
    if (candidates.length === 0) throw new AppError('TRACE_CODE_INVALID');
    const corrections = new Map(candidates.filter((c) => !c.valid).map((c) => [c.code, singleSymbolCorrections(c.code)]));
    const looked = [...candidates.filter((c) => c.valid).map((c) => c.code), ...[...corrections.values()].flat()];
    const rows = new Map((await findTraceMarks(this.deps.db, [...new Set(looked)])).map((row) => [row.code, row]));
    const found = [...rows.values()];
    const names = await displayNamesOf(this.deps.db, [...new Set(found.map((row) => row.viewer_id))]);
    const rooms = await roomNames(this.deps.db, this.deps.keys, found.flatMap((row) => (row.room_id === null ? [] : [row.room_id])));
    const results = candidates.map((candidate): TraceResolution => {
      // A misread code is corrected only when exactly one of its one-symbol corrections was ever issued.
      const issued = candidate.valid ? [] : (corrections.get(candidate.code) ?? []).filter((code) => rows.has(code));
      const corrected = issued.length === 1 ? issued[0] : undefined;
      const row = candidate.valid ? rows.get(candidate.code) : corrected !== undefined ? rows.get(corrected) : undefined;
      const status = candidate.valid ? (row ? 'resolved' : 'unknown') : corrected !== undefined ? 'corrected' : 'misread';
      const issue = row && {
        viewer: resolvedViewer(row, names),
        kind: row.kind,
        itemId: row.item_id,
        roomId: row.room_id,
        roomName: row.room_id === null ? null : (rooms.get(row.room_id) ?? null),
        issuedAt: iso(row.issued_at),
      };
      if (corrected !== undefined) return { status, code: corrected, readAs: candidate.code, source: candidate.source, issue: issue ?? null };
      return { status, code: candidate.code, source: candidate.source, issue: issue ?? null };
    });
    await this.deps.db.transaction().execute(async (trx) => {
      const codes = results.map((result) => ({ code: result.code, status: result.status, ...(result.readAs !== undefined ? { readAs: result.readAs } : {}), ...(result.issue ? { viewerId: result.issue.viewer.id } : {}) }));
      await recordAudit(trx, { actorId: officer.userId, action: 'compliance.trace_resolved', data: { codes }, ip: officer.ip });
    });
    return results;
  }

  private async messageMarking(viewer: Pick<Actor, 'userId'>, messageId: string, ranks: LabelRanks): Promise<TracedItem> {
    const message = await findReadableMessage(this.deps.db, messageId, viewer.userId);
    if (!message) throw new AppError('MESSAGE_NOT_FOUND');
    const room = await this.deps.rooms.requireRoomAccess(viewer, message.room_id).catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'ROOM_NOT_FOUND' ? new AppError('MESSAGE_NOT_FOUND') : error;
    });
    return { marked: itemMarked(toWireRoom(room), ranks.marked(message.label)), roomId: room.id };
  }

  private async fileMarking(viewer: Pick<Actor, 'userId'>, fileId: string, ranks: LabelRanks): Promise<TracedItem> {
    const file = await this.deps.files.requireFile(viewer, fileId);
    const rooms = (await findRooms(this.deps.db, file.roomIds)).map(toWireRoom);
    const marking = rooms.find((room) => itemMarked(room, ranks.marked(file.row.label)));
    return { marked: marking !== undefined, roomId: (marking ?? rooms[0])?.id ?? null };
  }

  /** Inserts a fresh code, drawing again in the rare case a random code is taken. */
  private async insertFresh(row: Omit<TraceMarkRow, 'code' | 'stamped_sha256' | 'details'>): Promise<TraceMarkRow> {
    for (;;) {
      const fresh = { ...row, code: randomTraceCode(), stamped_sha256: null, details: null };
      if (await insertTraceMark(this.deps.db, fresh)) return fresh;
    }
  }
}

/** The viewer a code names: their display name now, and the username they had when it was issued. */
function resolvedViewer(row: TraceMarkRow, names: Map<string, string>): TraceViewer {
  return { id: row.viewer_id, displayName: names.get(row.viewer_id) ?? row.viewer_username, username: row.viewer_username };
}

function iso(time: number | string): string {
  return new Date(Number(time)).toISOString();
}
