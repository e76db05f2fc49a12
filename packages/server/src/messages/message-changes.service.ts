import type { Message, MessageRestrictions } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit, type AuditEvent } from '../audit/audit.service';
import type { Database, MessageRow } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import type { RoomsService, RoomWithMembership } from '../rooms/rooms.service';
import type { LabelsService } from '../labels/labels.service';
import { requireWithinCeiling, type ContentLabels } from '../protection/content-labels';
import type { OutboundPolicy } from '../protection/outbound-policy';
import { replaceFingerprint } from '../provenance/provenance.access';
import type { EditVerdict, ProvenanceService } from '../provenance/provenance.service';
import type { SettingsService } from '../settings/settings.service';
import { editedMessageTerms, reindexMessage, unindexMessage } from '../search/search-index';
import type { EventLog } from '../events/event-log';
import type { CpuWorkPool } from '../worker-pool/cpu-work-pool';
import { ContentDamaged } from '../keys/sealed';
import { decodeBody, encodeBody, loadSealingKeys, messagePlace, versionPlace } from './message-body.codec';
import { announceUpdated } from './message-events';
import { hydrateMessages, requireMessageText } from './message-hydrate';
import { restrictionsFromBits, restrictionsToBits } from './message-restrictions';
import type { MessagesService } from './messages.service';
import {
  addReaction,
  findMessage,
  findMessageFor,
  listPinned,
  lockForEdit,
  markDeleted,
  markRecalled,
  reactionsOf,
  removeReaction,
  replaceBody,
  replaceMentions,
  setPinned,
  setRestrictions,
} from './messages.repository';

/** An edit judged before it is applied: the label it ends with, what raised it, and its copy verdict for `text`. */
interface JudgedEdit {
  label: string;
  raisedBy?: 'content';
  copy: EditVerdict;
  text: string;
}

export interface MessageChangesDeps {
  db: Kysely<Database>;
  eventLog: EventLog;
  rooms: RoomsService;
  messages: MessagesService;
  settings: SettingsService;
  policy: OutboundPolicy;
  labels: LabelsService;
  contentLabels: ContentLabels;
  work: CpuWorkPool;
  provenance: ProvenanceService;
  /** Seals and opens stored content (message text, file names) and hashes search terms. */
  keys: Keyring;
}

/** Everything that changes a stored message: edits, deletes, reactions and pins. Each tells the room at once. */
export class MessageChangesService {
  constructor(private readonly deps: MessageChangesDeps) {}

  /**
   * The author edits their message; the text it replaces is kept as a version for compliance. The new text passes
   * what a send does: its markings may raise the message's label (never above the room's ceiling), then DLP rules
   * and the send guard judge it (an edit held for review changes nothing until it is released).
   */
  async editMessage(actor: Actor, messageId: string, text: string, confirmationToken?: string): Promise<Message> {
    const { message, room } = await this.requireMessage(actor, messageId, 'write');
    if (message.sender_id !== actor.userId) throw new AppError('NOT_MESSAGE_AUTHOR');
    requireVisible(message);
    await this.requireReadable(message);
    const edit = await this.judgeEdit(actor, message, room, text);
    const allowed = await this.deps.policy.check(actor, room, {
      kind: 'edit',
      text,
      label: edit.label,
      ...(edit.raisedBy ? { raisedBy: edit.raisedBy } : {}),
      // An edit changes the text only: the files it keeps were checked when they were sent.
      files: [],
      contentKey: [messageId, edit.label, text],
      confirmationToken,
      details: { messageId },
    });
    return this.applyEdit(actor, message, room, allowed, edit);
  }

  /** Applies an edit a compliance officer released, if its author can still change it; `audit` commits with it. */
  async applyReleasedEdit(senderId: string, messageId: string, text: string, audit: AuditEvent): Promise<Message> {
    const actor = { userId: senderId, ip: null };
    const { message, room } = await this.requireMessage(actor, messageId, 'write');
    requireVisible(message);
    await this.requireReadable(message);
    return this.applyEdit(actor, message, room, text, await this.judgeEdit(actor, message, room, text), audit);
  }

  /**
   * What the new text makes of the message's label, as for a send: its markings may raise it, and a copy of a
   * labelled item takes that item's label and origin and must be allowed where a forward of it would be (see
   * provenance/). The result must still fit the room.
   */
  private async judgeEdit(actor: Pick<Actor, 'userId' | 'ip'>, message: MessageRow, room: RoomWithMembership, text: string): Promise<JudgedEdit> {
    const labelled = await this.deps.contentLabels.raise(actor, room, 'edit', message.label, [text]);
    requireWithinCeiling(await this.deps.labels.ranks(), labelled, room.ceiling);
    const copy = await this.deps.provenance.checkEdit({ id: message.id, roomId: message.room_id, senderId: message.sender_id }, text, labelled.label, room);
    return { label: copy.label, ...(labelled.raisedBy ? { raisedBy: labelled.raisedBy } : {}), copy, text };
  }

  /** The sender or a room owner forbids (or allows again) forwarding, copying or downloading one message; audited. */
  async restrict(actor: Actor, messageId: string, changes: Partial<MessageRestrictions>): Promise<Message> {
    const { message, room } = await this.requireMessage(actor, messageId, 'write');
    if (message.sender_id !== actor.userId && room.my_role !== 'owner') throw new AppError('NOT_ALLOWED_TO_RESTRICT');
    requireVisible(message);
    await this.requireReadable(message);
    const restrictions = { ...restrictionsFromBits(Number(message.restrictions)), ...definedOnly(changes) };
    return this.change(message, async (trx) => {
      await setRestrictions(trx, messageId, restrictionsToBits(restrictions));
      await recordAudit(trx, { actorId: actor.userId, action: 'message.restricted', target: { type: 'message', id: messageId }, data: { roomId: message.room_id, restrictions }, ip: actor.ip });
    });
  }

  private async applyEdit(actor: Pick<Actor, 'userId' | 'ip'>, message: MessageRow, room: RoomWithMembership, text: string, edit: JudgedEdit, release?: AuditEvent): Promise<Message> {
    const mentions = await this.deps.messages.resolveMentions(room, text);
    // Found before the transaction, off the event loop when long: the message's files may hold much text.
    const terms = await editedMessageTerms(this.deps.db, this.deps.work, this.deps.keys, message.id, text);
    // A redaction changed the text: the fingerprint kept is that of the text kept.
    const fingerprint = text === edit.text ? undefined : await this.deps.provenance.fingerprintText(text);
    const { copiedFrom } = edit.copy;
    const item = { kind: 'message' as const, roomId: message.room_id, senderId: message.sender_id, label: edit.label };
    const { keys } = this.deps;
    await loadSealingKeys(this.deps.db, keys, [message.room_id]);
    return this.change(message, async (trx) => {
      const now = Date.now();
      // The replaced text is opened after the lock and sealed again for its version, so its ciphertext names
      // the version it is (a version's ciphertext never opens as the current text, nor the other way round).
      const replaced = await lockForEdit(trx, message.id, now);
      const version = { version: replaced.version, body: encodeBody(keys, versionPlace(message.room_id, message.id, replaced.version), openReplaced(keys, message, replaced.body)) };
      const body = { version, body: encodeBody(keys, messagePlace(message.room_id, message.id), text), label: edit.label, mentionsAll: mentions.mentionsAll, copiedFrom: copiedFrom === null ? null : JSON.stringify(copiedFrom) };
      await replaceBody(trx, message.id, body, now);
      await replaceFingerprint(trx, message.id, edit.copy.record(edit.label, fingerprint));
      await reindexMessage(trx, Number(message.position), terms);
      await replaceMentions(trx, message, mentions.mentions);
      await recordAudit(trx, { actorId: actor.userId, action: 'message.edited', target: { type: 'message', id: message.id }, data: { roomId: message.room_id }, ip: actor.ip });
      for (const entry of this.deps.provenance.auditOf(actor, message.id, item, copiedFrom)) await recordAudit(trx, entry);
      if (release) await recordAudit(trx, release);
    });
  }

  /** The author deletes their message: members no longer see it; the stored text stays for retention. */
  async deleteMessage(actor: Actor, messageId: string): Promise<void> {
    const { message } = await this.requireMessage(actor, messageId, 'write');
    if (message.sender_id !== actor.userId) throw new AppError('NOT_MESSAGE_AUTHOR');
    if (message.deleted_at !== null || message.hidden_at !== null) return;
    await this.change(message, async (trx) => {
      await markDeleted(trx, messageId, Date.now());
      await unindexMessage(trx, Number(message.position));
      await recordAudit(trx, { actorId: actor.userId, action: 'message.deleted', target: { type: 'message', id: messageId }, data: { roomId: message.room_id }, ip: actor.ip });
    });
  }

  /**
   * The author takes a message back within the organisation's recall window: everyone sees "recalled" instead
   * of it, the stored text stays for compliance, and the recall is audited. With `includeCopies`, where the
   * organisation allows it (`recallReachesCopies`), its forwards and fingerprint copies in every room go with it,
   * each audited, in the same transaction.
   */
  async recall(actor: Actor, messageId: string, options: { includeCopies?: boolean | undefined } = {}): Promise<Message> {
    const { message } = await this.requireMessage(actor, messageId, 'write');
    if (message.sender_id !== actor.userId) throw new AppError('NOT_MESSAGE_AUTHOR');
    requireVisible(message);
    const { recallWindowSeconds, recallReachesCopies } = await this.deps.settings.getSettings();
    if (Date.now() - Number(message.created_at) > recallWindowSeconds * 1000) throw new AppError('RECALL_WINDOW_PASSED', { windowSeconds: recallWindowSeconds });
    const copies = options.includeCopies === true && recallReachesCopies ? await this.visibleCopiesOf(messageId) : [];
    return this.deps.eventLog.write(async (trx, log) => {
      const now = Date.now();
      for (const recalled of [message, ...copies]) {
        await markRecalled(trx, recalled.id, now);
        await unindexMessage(trx, Number(recalled.position));
        const data = { roomId: recalled.room_id, ...(recalled === message ? {} : { copyOf: messageId }) };
        await recordAudit(trx, { actorId: actor.userId, action: 'message.recalled', target: { type: 'message', id: recalled.id }, data, ip: actor.ip });
      }
      for (const copy of copies) await announceUpdated(trx, log, this.deps.keys, copy.id);
      return announceUpdated(trx, log, this.deps.keys, message.id);
    });
  }

  /** The copies of a message members can still see: forwards and fingerprint copies, and copies of those. */
  private async visibleCopiesOf(messageId: string): Promise<MessageRow[]> {
    const copies: MessageRow[] = [];
    for (const id of await this.deps.provenance.messageCopiesOf(messageId)) {
      const copy = await findMessage(this.deps.db, id);
      if (copy && copy.deleted_at === null && copy.recalled_at === null) copies.push(copy);
    }
    return copies;
  }

  async react(actor: Actor, messageId: string, emoji: string, on: boolean): Promise<Message> {
    const { message } = await this.requireMessage(actor, messageId, 'write');
    requireVisible(message);
    await this.requireReadable(message);
    await this.deps.eventLog.write(async (trx, log) => {
      if (on) await addReaction(trx, { message_id: messageId, user_id: actor.userId, emoji, created_at: Date.now() });
      else await removeReaction(trx, messageId, actor.userId, emoji);
      await log.lock();
      const reactions = (await reactionsOf(trx, [messageId])).get(messageId) ?? [];
      await log.append({ roomId: message.room_id }, { type: 'reactions.changed', roomId: message.room_id, messageId, reactions }, { label: message.label });
    });
    return this.current(messageId);
  }

  /** Any member may pin or unpin a message in their room. */
  async pin(actor: Actor, messageId: string, on: boolean): Promise<Message> {
    const { message } = await this.requireMessage(actor, messageId, 'write');
    requireVisible(message);
    await this.requireReadable(message);
    return this.change(message, (trx) => setPinned(trx, messageId, on ? { at: Date.now(), by: actor.userId } : null));
  }

  async listPins(actor: Actor, roomId: string): Promise<Message[]> {
    await this.deps.rooms.requireRoomAccess(actor, roomId);
    return hydrateMessages(this.deps.db, this.deps.keys, await listPinned(this.deps.db, roomId, actor.userId));
  }

  /**
   * Loads a message the actor may see; one they may not (another room's, or labelled above their clearance) is
   * "not found", like one that does not exist. A hidden one is found, and `requireVisible` refuses it.
   */
  private async requireMessage(actor: Pick<Actor, 'userId'>, messageId: string, access: 'read' | 'write'): Promise<{ message: MessageRow; room: RoomWithMembership }> {
    const message = await findMessageFor(this.deps.db, messageId, actor.userId);
    if (!message || message.cleared === 0) throw new AppError('MESSAGE_NOT_FOUND');
    try {
      return { message, room: await this.deps.rooms.requireRoomAccess(actor, message.room_id, access) };
    } catch (error) {
      if (error instanceof AppError && error.code === 'ROOM_NOT_FOUND') throw new AppError('MESSAGE_NOT_FOUND');
      throw error;
    }
  }

  /**
   * A route that answers with the message (an edit, a reaction, a pin, a restriction) refuses one whose stored text
   * is damaged with CONTENT_DAMAGED, before it changes anything. Deleting and recalling need no text and still work.
   */
  private async requireReadable(message: MessageRow): Promise<void> {
    await requireMessageText(this.deps.db, this.deps.keys, message);
  }

  /** Applies a change and announces the message as it now is to its room. */
  private async change(message: MessageRow, apply: (trx: Transaction<Database>) => Promise<void>): Promise<Message> {
    return this.deps.eventLog.write(async (trx, log) => {
      await apply(trx);
      return announceUpdated(trx, log, this.deps.keys, message.id);
    });
  }

  private async current(messageId: string): Promise<Message> {
    const [message] = await hydrateMessages(this.deps.db, this.deps.keys, [(await findMessage(this.deps.db, messageId))!]);
    return message!;
  }
}

function definedOnly<T extends object>(changes: Partial<T>): Partial<T> {
  return Object.fromEntries(Object.entries(changes).filter(([, value]) => value !== undefined)) as Partial<T>;
}

/** The text an edit replaces, read after the edit's lock; damaged meanwhile, the edit answers CONTENT_DAMAGED. */
function openReplaced(keys: Keyring, message: MessageRow, stored: string): string {
  try {
    return decodeBody(keys, messagePlace(message.room_id, message.id), stored);
  } catch (error) {
    if (error instanceof ContentDamaged) throw new AppError('CONTENT_DAMAGED', { messageId: message.id });
    throw error;
  }
}

/** Edits, reactions, pins and recalls need a message members can still see; a hidden one counts as deleted. */
function requireVisible(message: MessageRow): void {
  if (message.deleted_at !== null || message.hidden_at !== null) throw new AppError('MESSAGE_DELETED');
  if (message.recalled_at !== null) throw new AppError('MESSAGE_RECALLED');
}
