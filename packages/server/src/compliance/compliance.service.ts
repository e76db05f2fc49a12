import type { DlpRuleRef, FileInfo, HeldMessage, Message, ReviewStatus } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit, type AuditEvent } from '../audit/audit.service';
import type { Keyring } from '../keys/keyring';
import { roomNames } from '../rooms/rooms.access';
import type { Database } from '../db/schema';
import { fileInfosByIds } from '../files/files.access';
import type { FileContent, FilesService } from '../files/files.service';
import { AppError } from '../http/app-error';
import { ContentDamaged } from '../keys/sealed';
import { reportDamaged } from '../messages/content-damage';
import { bodyKeyOwners, decodeBody, heldPlace } from '../messages/message-body.codec';
import type { MessageChangesService } from '../messages/message-changes.service';
import type { MessagesService } from '../messages/messages.service';
import { decideHeld, findHeld, listHeld, reopenHeld, setHeldMessageId, type HeldRow } from '../protection/protection.access';
import type { EventLog } from '../events/event-log';

export interface ComplianceDeps {
  db: Kysely<Database>;
  eventLog: EventLog;
  messages: MessagesService;
  changes: MessageChangesService;
  files: FilesService;
  /** Opens stored content: held texts, file names and rooms' names. */
  keys: Keyring;
}

function iso(time: number | null): string | null {
  return time === null ? null : new Date(Number(time)).toISOString();
}

/** The files a held send or forward would carry, by id, as its details keep them. */
function heldFileIds(row: HeldRow): string[] {
  const details = JSON.parse(row.details) as { fileIds?: string[] };
  return details.fileIds ?? [];
}

/** A held item's text, or undefined when its stored text is damaged; its room's key is loaded already. */
function heldText(keys: Keyring, row: HeldRow): string | undefined {
  try {
    return decodeBody(keys, heldPlace(row.room_id, row.id), row.body);
  } catch (error) {
    if (error instanceof ContentDamaged) return undefined;
    throw error;
  }
}

function toWireHeld(row: HeldRow, text: string | undefined, roomName: string | null, files: ReadonlyMap<string, FileInfo>): HeldMessage {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    roomId: row.room_id,
    roomName,
    senderId: row.sender_id,
    text: text ?? '',
    files: heldFileIds(row).flatMap((id) => files.get(id) ?? []),
    label: row.label,
    rules: JSON.parse(row.rules) as DlpRuleRef[],
    heldAt: iso(row.held_at)!,
    decidedBy: row.decided_by,
    decidedAt: iso(row.decided_at),
    note: row.note,
    messageId: row.message_id,
    ...(text === undefined ? { unreadable: true as const } : {}),
  };
}

/**
 * The compliance officer's desk: messages DLP held for review (the audit log is audit-log.service.ts). Officers read what they must
 * decide on and nothing more; every look and every decision is itself written to the audit log.
 */
export class ComplianceService {
  constructor(private readonly deps: ComplianceDeps) {}

  async listReviews(actor: Actor, options: { status: ReviewStatus; limit: number; cursor?: string | undefined }): Promise<{ reviews: HeldMessage[]; nextCursor: string | null }> {
    const after = options.cursor === undefined ? undefined : decodeCursor(options.cursor);
    const rows = await listHeld(this.deps.db, options.status, after, options.limit + 1);
    const page = rows.slice(0, options.limit);
    const names = await roomNames(this.deps.db, this.deps.keys, [...new Set(page.map((row) => row.room_id))]);
    const files = await this.filesOf(page);
    const texts = await this.textsOf(page);
    await this.audit(actor, 'compliance.reviews_viewed', { status: options.status, count: page.length });
    const last = page[page.length - 1];
    return {
      reviews: page.map((row) => toWireHeld(row, texts.get(row.id), names.get(row.room_id) ?? null, files)),
      nextCursor: rows.length > options.limit && last ? Buffer.from(`${last.held_at} ${last.id}`).toString('base64url') : null,
    };
  }

  /**
   * Delivers a held message as its sender would have, its release audited in the delivery's transaction. The item
   * is claimed first, so two officers releasing at once deliver it once; if delivery fails (the sender left the
   * room, say) it goes back to pending.
   */
  async release(actor: Actor, reviewId: string, note: string | undefined): Promise<HeldMessage> {
    const held = await this.requirePending(reviewId);
    const text = await this.requireHeldText(held);
    const claimed = await this.deps.db.transaction().execute((trx) =>
      decideHeld(trx, reviewId, { status: 'released', decided_by: actor.userId, decided_at: Date.now(), note: note ?? null, message_id: null }),
    );
    if (!claimed) throw new AppError('REVIEW_ALREADY_DECIDED');
    const audit = (messageId: string): AuditEvent => ({
      actorId: actor.userId,
      action: 'dlp.review_released',
      target: { type: 'held_message', id: reviewId },
      data: { roomId: held.room_id, senderId: held.sender_id, messageId },
      ip: actor.ip,
    });
    let message: Message;
    try {
      message = await this.deliver(held, text, audit);
    } catch (error) {
      await reopenHeld(this.deps.db, reviewId);
      throw error;
    }
    await this.deps.eventLog.write(async (trx, log) => {
      await setHeldMessageId(trx, reviewId, message.id);
      await log.append({ userId: held.sender_id }, { type: 'review.decided', reviewId, roomId: held.room_id, outcome: 'released', messageId: message.id });
    });
    return this.current(reviewId);
  }

  async reject(actor: Actor, reviewId: string, note: string | undefined): Promise<HeldMessage> {
    const held = await this.requirePending(reviewId);
    await this.deps.eventLog.write(async (trx, log) => {
      const decided = await decideHeld(trx, reviewId, { status: 'rejected', decided_by: actor.userId, decided_at: Date.now(), note: note ?? null, message_id: null });
      if (!decided) throw new AppError('REVIEW_ALREADY_DECIDED');
      await recordAudit(trx, { actorId: actor.userId, action: 'dlp.review_rejected', target: { type: 'held_message', id: reviewId }, data: { roomId: held.room_id, senderId: held.sender_id }, ip: actor.ip });
      await log.append({ userId: held.sender_id }, { type: 'review.decided', reviewId, roomId: held.room_id, outcome: 'rejected', messageId: null });
    });
    return this.current(reviewId);
  }

  /**
   * A file of a held message, for the officer deciding on it (a decided one too: the record stays reviewable).
   * Only files the held message would carry are served; each opening is audited.
   */
  async openHeldFile(actor: Actor, reviewId: string, fileId: string, disposition: 'inline' | 'attachment'): Promise<FileContent> {
    const held = await findHeld(this.deps.db, reviewId);
    if (!held) throw new AppError('REVIEW_NOT_FOUND');
    if (!heldFileIds(held).includes(fileId)) throw new AppError('FILE_NOT_FOUND');
    const content = await this.deps.files.openHeld(fileId);
    await this.deps.db.transaction().execute((trx) =>
      recordAudit(trx, { actorId: actor.userId, action: 'compliance.held_file_opened', target: { type: 'file', id: fileId }, data: { reviewId, roomId: held.room_id, disposition }, ip: actor.ip }),
    );
    return content;
  }

  private deliver(held: HeldRow, text: string, audit: (messageId: string) => AuditEvent): Promise<Message> {
    const item = { senderId: held.sender_id, roomId: held.room_id, text, label: held.label, details: JSON.parse(held.details) as Record<string, unknown> };
    if (held.kind === 'edit') {
      const messageId = item.details.messageId as string;
      return this.deps.changes.applyReleasedEdit(held.sender_id, messageId, item.text, audit(messageId));
    }
    if (held.kind === 'forward') return this.deps.messages.deliverReleasedForward(item, audit);
    return this.deps.messages.deliverReleasedSend(item, audit);
  }

  private async requirePending(reviewId: string): Promise<HeldRow> {
    const held = await findHeld(this.deps.db, reviewId);
    if (!held) throw new AppError('REVIEW_NOT_FOUND');
    if (held.status !== 'pending') throw new AppError('REVIEW_ALREADY_DECIDED');
    return held;
  }

  private async current(reviewId: string): Promise<HeldMessage> {
    const row = (await findHeld(this.deps.db, reviewId))!;
    const names = await roomNames(this.deps.db, this.deps.keys, [row.room_id]);
    const texts = await this.textsOf([row]);
    return toWireHeld(row, texts.get(row.id), names.get(row.room_id) ?? null, await this.filesOf([row]));
  }

  /** The held items' texts by id; a damaged one is absent, and reported to the audit log once. */
  private async textsOf(rows: readonly HeldRow[]): Promise<Map<string, string>> {
    const { db, keys } = this.deps;
    await keys.ensure(db, bodyKeyOwners(rows.map((row) => row.room_id)));
    const texts = new Map<string, string>();
    for (const row of rows) {
      const text = heldText(keys, row);
      if (text !== undefined) texts.set(row.id, text);
    }
    await reportDamaged(db, keys, rows.filter((row) => !texts.has(row.id)).map((row) => ({ type: 'held_message', id: row.id, roomId: row.room_id })));
    return texts;
  }

  /** A held item cannot be released when its text does not open: CONTENT_DAMAGED, and it stays pending. */
  private async requireHeldText(row: HeldRow): Promise<string> {
    const text = (await this.textsOf([row])).get(row.id);
    if (text === undefined) throw new AppError('CONTENT_DAMAGED', { reviewId: row.id });
    return text;
  }

  private async filesOf(rows: readonly HeldRow[]): Promise<Map<string, FileInfo>> {
    return fileInfosByIds(this.deps.db, this.deps.keys, [...new Set(rows.flatMap(heldFileIds))]);
  }

  private async audit(actor: Actor, action: 'compliance.reviews_viewed', data: Record<string, unknown>): Promise<void> {
    await this.deps.db.transaction().execute((trx) => recordAudit(trx, { actorId: actor.userId, action, data, ip: actor.ip }));
  }
}

function decodeCursor(cursor: string): { heldAt: number; id: string } {
  const [heldAt, id] = Buffer.from(cursor, 'base64url').toString('utf8').split(' ');
  if (!heldAt || !id || !Number.isFinite(Number(heldAt))) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'cursor', message: 'not a cursor from this list' }] });
  return { heldAt: Number(heldAt), id };
}
