import { randomUUID } from 'node:crypto';
import type { CopyProvenance, ForwardProvenance, MembershipLine, Message, MessageRestrictions, MessageSend } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { membershipLinesBetween } from '../events/membership-lines';
import { AppError } from '../http/app-error';
import type { AuditEvent } from '../audit/audit.service';
import type { FileAttachments } from '../files/file-attachments';
import type { AttachedFile } from '../files/file-wire';
import type { Keyring } from '../keys/keyring';
import type { LabelsService } from '../labels/labels.service';
import { requireWithinCeiling, type ContentLabel, type ContentLabels } from '../protection/content-labels';
import type { OutboundFile, OutboundPolicy } from '../protection/outbound-policy';
import type { CopyVerdict, ProvenanceService } from '../provenance/provenance.service';
import type { RoomsService, RoomWithMembership } from '../rooms/rooms.service';
import { checkForwardAllowed, provenanceOf } from './forwarding';
import { parseMentions } from './mention-parser';
import { restrictionsFromBits } from './message-restrictions';
import { hydrateMessages, requireMessageText } from './message-hydrate';
import type { MessageWriter } from './message-writer';
import type { UrgentPolicyCheck } from './urgent-policy';
import { findByClientIds, findMessageFor, findReadableMessage, historyPage, memberIdsByUsername, mentionsPage } from './messages.repository';

export interface MessagesDeps {
  db: Kysely<Database>;
  rooms: RoomsService;
  labels: LabelsService;
  writer: MessageWriter;
  policy: OutboundPolicy;
  contentLabels: ContentLabels;
  files: FileAttachments;
  provenance: ProvenanceService;
  urgent: UrgentPolicyCheck;
  /** Opens stored content (message text, file names) for what this service answers. */
  keys: Keyring;
}

/** A page of history as `history` answers it (MessageHistoryResponse). */
interface HistoryPage {
  messages: Message[];
  hasMore: boolean;
  hasNewer?: boolean;
  membershipLines: MembershipLine[];
}

/** Which timeline a history page reads, and for whom. */
interface Timeline {
  roomId: string;
  readerId: string;
  threadRootId: string | null;
}

/** A send as the protocol defines it, from REST or the stream alike. */
export type SendInput = MessageSend;

type Sender = Pick<Actor, 'userId' | 'ip'>;

/** A held send or forward a compliance officer released, as stored. */
export interface ReleasedItem {
  senderId: string;
  roomId: string;
  text: string;
  label: string;
  details: Record<string, unknown>;
}

/** What a held forward keeps until a compliance officer releases it. */
interface HeldForwardDetails {
  forwardedFrom: ForwardProvenance;
  restrictions: MessageRestrictions;
  /** Absent in forwards held before messages carried files. */
  fileIds?: string[];
}

export class MessagesService {
  constructor(private readonly deps: MessagesDeps) {}

  /** Checks membership and the thread, then hands the message to the batching writer, which stores and fans it out. */
  async sendMessage(actor: Sender, roomId: string, input: SendInput): Promise<Message> {
    return (await this.enqueueMessage(actor, roomId, input)).stored;
  }

  /**
   * The checks of `sendMessage`, resolving as soon as the message is queued; `stored` settles at its commit. The
   * stream uses this to take a connection's next frame without waiting for the commit while keeping send order.
   */
  async enqueueMessage(actor: Sender, roomId: string, input: SendInput): Promise<{ stored: Promise<Message> }> {
    const room = await this.deps.rooms.requireRoomAccess(actor, roomId, 'write');
    const urgentReason = await this.deps.urgent.check(actor.userId, room, input);
    const files = await this.requireUploads(actor.userId, room.id, input.fileIds, input.clientId);
    const outgoing = outboundFiles(files);
    const raised = await this.deps.contentLabels.raise(actor, room, 'send', input.label ?? room.default_label, contentOf(input.text, outgoing));
    const { label: asked } = await this.labelFor(room, raised, files);
    if (input.threadRootId !== undefined) await this.requireThreadRoot(roomId, input.threadRootId, actor.userId);
    // Provenance: text that copies a labelled item takes its label and origin, and goes only where a forward of it could.
    const item = { kind: 'message' as const, roomId: room.id, senderId: actor.userId, label: asked };
    const copy = await this.deps.provenance.checkCopy(item, await this.deps.provenance.fingerprintText(input.text), room);
    const label = copy.label;
    let text: string;
    try {
      text = await this.deps.policy.check(actor, room, {
        kind: 'send',
        text: input.text,
        label,
        ...(raised.raisedBy ? { raisedBy: raised.raisedBy } : {}),
        files: outgoing,
        contentKey: [label, input.threadRootId ?? '', input.text],
        confirmationToken: input.confirmationToken,
        details: { threadRootId: input.threadRootId, alsoSendToRoom: input.alsoSendToRoom, clientId: input.clientId, restrictions: input.restrictions, fileIds: input.fileIds, copiedFrom: copy.copiedFrom },
      });
    } catch (error) {
      const earlier = await this.confirmedEarlier(error, actor.userId, room.id, input);
      if (earlier) return { stored: Promise.resolve(earlier) };
      throw error;
    }
    // Redaction changed the text: the fingerprint stored is that of the text stored.
    const stored = text === input.text ? copy : { ...copy, fingerprint: await this.deps.provenance.fingerprintText(text) };
    const urgentAudit = urgentReason === null ? undefined : (messageId: string) => this.deps.urgent.auditOf(actor, room.id, messageId, urgentReason);
    return { stored: this.write(room, actor.userId, { ...input, text, label, checkedUrgentReason: urgentReason }, files, stored, urgentAudit) };
  }

  /**
   * A confirmed send repeated with its client id after its answer was lost (a dropped stream): its token was used by
   * the first attempt, so the guard asks again, but the message is stored already and the retry gets it, as the
   * writer answers any retry. Looked up only then, so ordinary sends pay nothing for it.
   */
  private async confirmedEarlier(error: unknown, senderId: string, roomId: string, input: SendInput): Promise<Message | undefined> {
    if (!(error instanceof AppError) || error.code !== 'CONFIRMATION_REQUIRED' || input.confirmationToken === undefined || input.clientId === undefined) return undefined;
    const [stored] = await findByClientIds(this.deps.db, [{ senderId, clientId: input.clientId }]);
    if (!stored || stored.room_id !== roomId) return undefined;
    return (await hydrateMessages(this.deps.db, this.deps.keys, [stored]))[0];
  }

  /**
   * Delivers a send a compliance officer released: the sender must still be able to write there. `audit` records
   * the release in the message's own transaction.
   */
  async deliverReleasedSend(held: ReleasedItem, audit: (messageId: string) => AuditEvent): Promise<Message> {
    const room = await this.deps.rooms.requireRoomAccess({ userId: held.senderId }, held.roomId, 'write');
    if (!(await this.deps.labels.ranks()).fits(held.label, room.ceiling)) throw new AppError('LABEL_ABOVE_ROOM_CEILING', { label: held.label, ceiling: room.ceiling });
    const { copiedFrom, ...input } = held.details as Omit<SendInput, 'text' | 'label'> & { copiedFrom?: CopyProvenance | null };
    if (input.threadRootId !== undefined) await this.requireThreadRoot(room.id, input.threadRootId, held.senderId);
    // The held label already counts the files' labels; their uploads waited for this release.
    const files = await this.requireUploads(held.senderId, room.id, input.fileIds, undefined);
    // The original client id is dropped: the sender's client gave up on that send when it was held.
    const copy = { copiedFrom: copiedFrom ?? null, fingerprint: await this.deps.provenance.fingerprintText(held.text) };
    // A held urgent send goes out as an ordinary one: its moment has passed, and held details keep no reason.
    return this.write(room, held.senderId, { ...input, clientId: undefined, text: held.text, label: held.label, checkedUrgentReason: null }, files, copy, audit);
  }

  /**
   * Forwards a message the actor can read into a room they can write to. The copy keeps the original's label,
   * restrictions and provenance; the label and room policies and the message's own restriction decide whether it
   * may go there, and the target room's guard and DLP rules apply as to any send.
   */
  async forward(actor: Sender, messageId: string, input: { roomId: string; confirmationToken?: string | undefined }): Promise<Message> {
    const source = await findMessageFor(this.deps.db, messageId, actor.userId);
    // Above the reader's clearance, it is as absent as a message of another room.
    if (!source || source.cleared === 0) throw new AppError('MESSAGE_NOT_FOUND');
    // Someone outside the source room learns nothing about the message, not even that it exists.
    const sourceRoom = await this.deps.rooms.requireRoomAccess(actor, source.room_id).catch(() => {
      throw new AppError('MESSAGE_NOT_FOUND');
    });
    if (source.deleted_at !== null) throw new AppError('MESSAGE_DELETED');
    if (source.recalled_at !== null) throw new AppError('MESSAGE_RECALLED');
    if (source.hidden_at !== null) throw new AppError('MESSAGE_DELETED');
    const target = await this.deps.rooms.requireRoomAccess(actor, input.roomId, 'write');
    const ranks = await this.deps.labels.ranks();
    // A copy of a message from a room that allows no downloads stays view-only wherever it goes: otherwise
    // forwarding into an open room would be a way to download its files.
    const restrictions = { ...restrictionsFromBits(Number(source.restrictions)), ...(Number(sourceRoom.download_allowed) === 1 ? {} : { noDownload: true }) };
    checkForwardAllowed({ restrictions, labelPolicy: ranks.forwardingOf(source.label), roomPolicy: sourceRoom.forwarding, target });
    requireWithinCeiling(ranks, { label: source.label }, target.ceiling);
    const forwardedFrom = provenanceOf(source);
    // The copy carries the same stored files; the source's label is already at least theirs.
    const files = await this.deps.files.carriedBy(source.id);
    const outgoing = outboundFiles(files);
    const sourceText = await requireMessageText(this.deps.db, this.deps.keys, source);
    // Rules added since the original was sent may mark it higher: the copy is labelled by today's rules.
    const raised = await this.deps.contentLabels.raise(actor, target, 'forward', source.label, contentOf(sourceText, outgoing));
    requireWithinCeiling(ranks, raised, target.ceiling);
    const label = raised.label;
    // A raised label brings its own forwarding policy, which may be stricter than the one the message had.
    if (label !== source.label) checkForwardAllowed({ restrictions, labelPolicy: ranks.forwardingOf(label), roomPolicy: sourceRoom.forwarding, target });
    const details: HeldForwardDetails = { forwardedFrom, restrictions, fileIds: files.map((file) => file.info.id) };
    const text = await this.deps.policy.check(actor, target, {
      kind: 'forward',
      text: sourceText,
      label,
      ...(raised.raisedBy ? { raisedBy: raised.raisedBy } : {}),
      files: outgoing,
      contentKey: [messageId],
      confirmationToken: input.confirmationToken,
      details: { ...details },
    });
    const id = randomUUID();
    const audit: AuditEvent = {
      actorId: actor.userId,
      action: 'message.forwarded',
      target: { type: 'message', id },
      data: { fromMessageId: messageId, fromRoomId: source.room_id, toRoomId: target.id, label, ...(files.length > 0 ? { fileIds: details.fileIds } : {}) },
      ip: actor.ip,
    };
    return this.writeForward(id, target, actor.userId, text, label, details, files, [audit]);
  }

  /** Delivers a forward a compliance officer released; `audit` records the release with the message. */
  async deliverReleasedForward(held: ReleasedItem, audit: (messageId: string) => AuditEvent): Promise<Message> {
    const target = await this.deps.rooms.requireRoomAccess({ userId: held.senderId }, held.roomId, 'write');
    const details = held.details as unknown as HeldForwardDetails;
    const files = await this.deps.files.byIds(details.fileIds ?? []);
    const id = randomUUID();
    return this.writeForward(id, target, held.senderId, held.text, held.label, details, files, [audit(id)]);
  }

  private async writeForward(
    id: string,
    target: RoomWithMembership,
    senderId: string,
    text: string,
    label: string,
    details: HeldForwardDetails,
    files: AttachedFile[],
    audit: AuditEvent[],
  ): Promise<Message> {
    const item = { kind: 'message' as const, roomId: target.id, senderId, label };
    const fingerprint = this.deps.provenance.recordOf(id, item, { copiedFrom: null, fingerprint: await this.deps.provenance.fingerprintText(text) }, details.forwardedFrom.messageId);
    // A forward repeats words, not intentions: nobody is mentioned again by it.
    return this.deps.writer.write({
      id,
      audit,
      roomId: target.id,
      senderId,
      text,
      threadRootId: null,
      clientId: null,
      alsoInRoom: false,
      label,
      mentions: [],
      mentionsAll: false,
      restrictions: details.restrictions,
      forwardedFrom: details.forwardedFrom,
      copiedFrom: null,
      fingerprint,
      files,
      claimsUploads: false,
      urgentReason: null,
    });
  }

  private async write(
    room: RoomWithMembership,
    senderId: string,
    input: SendInput & { label: string; checkedUrgentReason: string | null },
    files: AttachedFile[],
    copy: Pick<CopyVerdict, 'copiedFrom' | 'copyOf' | 'fingerprint'>,
    audit?: (messageId: string) => AuditEvent,
  ): Promise<Message> {
    const mentions = await this.resolveMentions(room, input.text);
    const id = randomUUID();
    const item = { kind: 'message' as const, roomId: room.id, senderId, label: input.label };
    const audits = [...(audit ? [audit(id)] : []), ...this.deps.provenance.auditOf({ userId: senderId, ip: null }, id, item, copy.copiedFrom)];
    return this.deps.writer.write({
      id,
      ...(audits.length > 0 ? { audit: audits } : {}),
      roomId: room.id,
      senderId,
      text: input.text,
      threadRootId: input.threadRootId ?? null,
      clientId: input.clientId ?? null,
      alsoInRoom: input.threadRootId !== undefined && input.alsoSendToRoom === true,
      label: input.label,
      restrictions: input.restrictions ?? {},
      forwardedFrom: null,
      copiedFrom: copy.copiedFrom,
      fingerprint: this.deps.provenance.recordOf(id, item, copy),
      files,
      claimsUploads: true,
      urgentReason: input.checkedUrgentReason,
      ...mentions,
    });
  }

  private async requireUploads(senderId: string, roomId: string, fileIds: string[] | undefined, clientId: string | undefined): Promise<AttachedFile[]> {
    if (!fileIds || fileIds.length === 0) return [];
    return this.deps.files.requireAttachable({ senderId, roomId, fileIds, clientId });
  }

  /**
   * The label asked for (already raised by the content's markings), raised to the most sensitive file's: a message
   * is never labelled below what it carries. It must fit the room.
   */
  private async labelFor(room: RoomWithMembership, content: ContentLabel, files: readonly AttachedFile[]): Promise<ContentLabel> {
    const ranks = await this.deps.labels.ranks();
    const labelled = { ...content, label: ranks.highest(content.label, ...files.map((file) => file.info.label)) };
    requireWithinCeiling(ranks, labelled, room.ceiling);
    return labelled;
  }

  /**
   * Whom a text mentions among the room's members. `@all` is for owners of rooms with more than two people (in a
   * direct message it is just everyone there); anyone else gets MENTION_ALL_FORBIDDEN.
   */
  async resolveMentions(room: RoomWithMembership, text: string): Promise<{ mentions: string[]; mentionsAll: boolean }> {
    const parsed = parseMentions(text);
    if (parsed.all && room.kind !== 'dm' && Number(room.member_count) > 2 && room.my_role !== 'owner') throw new AppError('MENTION_ALL_FORBIDDEN');
    return { mentions: await memberIdsByUsername(this.deps.db, room.id, parsed.usernames), mentionsAll: parsed.all };
  }

  /**
   * A page of a room's timeline or of a thread, as the actor may read it: every query below takes the reader, so a
   * message hidden or labelled above their clearance is absent from the page and refused as an anchor or thread
   * root exactly like a message that does not exist.
   */
  async history(
    actor: Actor,
    roomId: string,
    options: { limit: number; before?: string | undefined; around?: string | undefined; after?: string | undefined; threadRootId?: string | undefined },
  ): Promise<HistoryPage> {
    await this.deps.rooms.requireRoomAccess(actor, roomId);
    const timeline = { roomId, readerId: actor.userId, threadRootId: options.threadRootId ?? null };
    if (options.threadRootId !== undefined) await this.requireThreadRoot(roomId, options.threadRootId, actor.userId);
    if (options.around !== undefined) return this.historyAround(timeline, options.around, options.limit);
    if (options.after !== undefined) return this.historyAfter(timeline, options.after, options.limit);
    let beforePosition: number | undefined;
    if (options.before !== undefined) {
      const anchor = await findReadableMessage(this.deps.db, options.before, actor.userId);
      if (!anchor || anchor.room_id !== roomId) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'before', message: 'not a message of this room' }] });
      beforePosition = Number(anchor.position);
    }
    const rows = await historyPage(this.deps.db, { ...timeline, beforePosition, limit: options.limit });
    const page = { messages: await hydrateMessages(this.deps.db, this.deps.keys, rows.slice(0, options.limit)), hasMore: rows.length > options.limit };
    return this.withMembershipLines(timeline, page, { newerThan: undefined, olderThan: beforePosition });
  }

  /**
   * The page a message sits in (a search result opened in context): up to half the page newer than it, the rest,
   * it included, older (more of them near the newest end); newest first like any page. The anchor must belong to
   * the timeline asked for.
   */
  private async historyAround(timeline: Timeline, messageId: string, limit: number): Promise<HistoryPage> {
    const position = await this.anchorPosition(timeline, messageId, 'around');
    const newerWanted = Math.floor(limit / 2);
    const newer = await historyPage(this.deps.db, { ...timeline, beforePosition: undefined, afterPosition: position, limit: newerWanted });
    const shown = newer.slice(0, newerWanted);
    const olderWanted = limit - shown.length;
    const older = await historyPage(this.deps.db, { ...timeline, beforePosition: position + 1, limit: olderWanted });
    const page = [...shown.reverse(), ...older.slice(0, olderWanted)];
    const hasNewer = newer.length > newerWanted;
    const messages = await hydrateMessages(this.deps.db, this.deps.keys, page);
    return this.withMembershipLines(timeline, { messages, hasMore: older.length > olderWanted, hasNewer }, { newerThan: undefined, olderThan: hasNewer ? messages[0]?.position : undefined });
  }

  /** The page right after a message, newest first; older messages exist, since the anchor is one of them. */
  private async historyAfter(timeline: Timeline, messageId: string, limit: number): Promise<HistoryPage> {
    const position = await this.anchorPosition(timeline, messageId, 'after');
    const newer = await historyPage(this.deps.db, { ...timeline, beforePosition: undefined, afterPosition: position, limit });
    const hasNewer = newer.length > limit;
    const messages = await hydrateMessages(this.deps.db, this.deps.keys, newer.slice(0, limit).reverse());
    return this.withMembershipLines(timeline, { messages, hasMore: true, hasNewer }, { newerThan: position, olderThan: hasNewer ? messages[0]?.position : undefined });
  }

  /**
   * Adds who came and went to a page of the room's timeline, over exactly the stretch the page covers: from its
   * oldest message (or the room's start when nothing is older, or `newerThan`, the anchor of an `after` page) to
   * `olderThan` (the anchor of a `before` page, or the newest message of a page with newer ones beyond it; now
   * otherwise). Consecutive pages thus meet without a gap or an overlap. Threads have no membership lines.
   */
  private async withMembershipLines(
    timeline: Timeline,
    page: { messages: Message[]; hasMore: boolean; hasNewer?: boolean },
    bounds: { newerThan: number | undefined; olderThan: number | undefined },
  ): Promise<HistoryPage> {
    if (timeline.threadRootId !== null) return { ...page, membershipLines: [] };
    const oldestShown = page.messages.at(-1)?.position;
    const after = bounds.newerThan ?? (page.hasMore ? oldestShown : undefined);
    return { ...page, membershipLines: await membershipLinesBetween(this.deps.db, timeline.roomId, { after, before: bounds.olderThan }) };
  }

  /** Where an `around` or `after` anchor sits; it must belong to the timeline asked for. */
  private async anchorPosition({ roomId, readerId, threadRootId }: Timeline, messageId: string, path: 'around' | 'after'): Promise<number> {
    const anchor = await findReadableMessage(this.deps.db, messageId, readerId);
    const inTimeline =
      anchor !== undefined &&
      anchor.room_id === roomId &&
      (threadRootId === null ? anchor.thread_root_id === null || Number(anchor.also_in_room) === 1 : anchor.thread_root_id === threadRootId);
    if (!inTimeline) throw new AppError('VALIDATION_FAILED', { issues: [{ path, message: 'not a message of this timeline' }] });
    return Number(anchor.position);
  }

  /** Messages that mention the actor, newest first, from rooms they are still in. */
  async mentions(actor: Actor, options: { limit: number; before?: string | undefined }): Promise<{ messages: Message[]; hasMore: boolean }> {
    let beforePosition: number | undefined;
    if (options.before !== undefined) {
      const anchor = await findReadableMessage(this.deps.db, options.before, actor.userId);
      if (!anchor) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'before', message: 'no such message' }] });
      beforePosition = Number(anchor.position);
    }
    const rows = await mentionsPage(this.deps.db, actor.userId, beforePosition, options.limit);
    return { messages: await hydrateMessages(this.deps.db, this.deps.keys, rows.slice(0, options.limit)), hasMore: rows.length > options.limit };
  }

  /**
   * Threads are one level deep: a reply answers a top-level message of the same room, one the person may read (a
   * root hidden or above their clearance is as invalid as one that does not exist).
   */
  private async requireThreadRoot(roomId: string, threadRootId: string, readerId: string): Promise<void> {
    const root = await findReadableMessage(this.deps.db, threadRootId, readerId);
    if (!root || root.room_id !== roomId || root.thread_root_id !== null) throw new AppError('THREAD_ROOT_INVALID');
  }
}

/** What content labels are read from: the text, and each file's name with its extracted text. */
function contentOf(text: string, files: readonly OutboundFile[]): string[] {
  return [text, ...files.map((file) => `${file.name}\n${file.text}`)];
}

function outboundFiles(files: readonly AttachedFile[]): OutboundFile[] {
  return files.map((file) => ({ id: file.info.id, name: file.info.name, text: file.text, fullyRead: file.textComplete }));
}
