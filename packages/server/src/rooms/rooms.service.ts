import { randomUUID } from 'node:crypto';
import { DM_MAX_OTHERS, type ContentAboveCeiling, type MembershipChange, type Role, type Room, type RoomKind, type RoomMarking, type RoomSummary, type RoomUpdateRequest } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import type { NameScreen } from '../dlp/name-screen';
import type { Keyring } from '../keys/keyring';
import { AppError } from '../http/app-error';
import type { EventLog, LogAppender } from '../events/event-log';
import { logHead } from '../events/backlog';
import { clearancesOf, memberClearances } from '../labels/labels.access';
import { countRoomFilesLabelled, relabelRoomFiles } from '../files/files.access';
import { countMessagesLabelled, hideMessages, relabelMessages } from '../messages/messages.access';
import { DEFAULT_LABEL, type LabelRanks, type LabelsService } from '../labels/labels.service';
import { findExistingUserIds, guestsAmong, sharesRoom } from '../users/users.access';
import { classifyNewRoom, decideContentAbove, reclassifyRoom, requireCleared, type ContentAbove } from './room-classification';
import { toRoomSummary, toWireRoom } from './room-wire';
import { openRoomRow, openRoomRows, prepareRoomKey, roomKeyFor, sealRoomText } from './room-text.codec';
import {
  countOwners,
  countUnread,
  deleteMember,
  dmMembers,
  existingMemberIds,
  findDmByKey,
  findRoom,
  findRoomForMember,
  insertMembers,
  insertRoom,
  listChannels,
  listMembers,
  listRoomsOfUser,
  refreshMemberCount,
  setMuted,
  unreadMentionCounts,
  updateRoomRow,
  type RoomRow,
} from './rooms.repository';

export type RoomWithMembership = NonNullable<Awaited<ReturnType<typeof findRoomForMember>>>;

export interface RoomsDeps {
  db: Kysely<Database>;
  eventLog: EventLog;
  labels: LabelsService;
  /** DLP for the names and topics set here. */
  names: NameScreen;
  /** Rooms' names, topics and freeze reasons are sealed with the room's key (room-text.codec.ts). */
  keys: Keyring;
}

export class RoomsService {
  constructor(private readonly deps: RoomsDeps) {}

  /**
   * The only way to load a room for an actor: it exists and they are a member. A room they cannot see gives the
   * same answer as one that does not exist, so room ids cannot be probed.
   */
  async requireRoomAccess(actor: Pick<Actor, 'userId'>, roomId: string, access: 'read' | 'write' = 'read'): Promise<RoomWithMembership> {
    const stored = await findRoomForMember(this.deps.db, roomId, actor.userId);
    if (!stored) throw new AppError('ROOM_NOT_FOUND');
    const room = await openRoomRow(this.deps.db, this.deps.keys, stored);
    if (access === 'write' && room.frozen_at !== null) throw new AppError('ROOM_FROZEN', { reason: room.frozen_reason });
    return room;
  }

  async createRoom(
    actor: Actor,
    input: { kind: RoomKind; name?: string | undefined; memberIds: string[]; ceiling?: string | undefined; defaultLabel?: string | undefined },
  ): Promise<{ room: Room; created: boolean }> {
    const others = [...new Set(input.memberIds)].filter((id) => id !== actor.userId);
    await this.requireUsersExist(others);
    if (actor.role === 'guest') await this.checkGuestMayStart(actor, input.kind, others);
    let dmKey: string | null = null;
    if (input.kind === 'dm') {
      if (others.length < 1 || others.length > DM_MAX_OTHERS) throw new AppError('DM_MEMBERS_INVALID');
      // One room per set of people, whoever starts it.
      dmKey = [actor.userId, ...others].sort().join(' ');
      const existing = await findDmByKey(this.deps.db, dmKey);
      if (existing) return { room: toWireRoom(await openRoomRow(this.deps.db, this.deps.keys, existing)), created: false };
    }
    const classification = classifyNewRoom(await this.deps.labels.ranks(), await clearancesOf(this.deps.db, [actor.userId, ...others]), input);
    if (input.kind !== 'dm' && input.name) {
      const creating = { ceiling: classification.ceiling, memberIds: [actor.userId, ...others] };
      await this.deps.names.checkRoomText(actor, { creating }, input.kind === 'group' ? 'group-name' : 'room-name', input.name);
    }
    const now = Date.now();
    const room: Omit<RoomRow, 'marked'> = {
      id: randomUUID(),
      kind: input.kind,
      name: input.kind === 'dm' ? null : (input.name ?? null),
      dm_key: dmKey,
      created_by: actor.userId,
      created_at: now,
      member_count: others.length + 1,
      topic: null,
      department_id: null,
      frozen_at: null,
      frozen_by: null,
      frozen_reason: null,
      last_message_at: null,
      ceiling: classification.ceiling,
      default_label: classification.defaultLabel,
      guest_count: 0,
      forwarding: 'anywhere',
      copy_allowed: 1,
      download_allowed: 1,
      membership_version: 0,
      // Its membership history is whole from the start: every join and leave is recorded.
      members_recorded_since: 0,
      marking: 'by-label',
    };
    // A direct message has no owner: neither side can add people to it or remove the other.
    const creatorRole = input.kind === 'dm' ? 'member' : 'owner';
    const created = await this.deps.eventLog.write(async (trx, log) => {
      const key = await roomKeyFor(trx, this.deps.keys, room.id);
      await insertRoom(trx, { ...room, name: sealRoomText(this.deps.keys, key, room.id, 'name', room.name) });
      await insertMembers(trx, [
        { room_id: room.id, user_id: actor.userId, role: creatorRole, joined_at: now },
        ...others.map((userId) => ({ room_id: room.id, user_id: userId, role: 'member' as const, joined_at: now })),
      ]);
      await refreshMemberCount(trx, room.id);
      const stored = toWireRoom(await openRoomRow(trx, this.deps.keys, (await findRoom(trx, room.id))!));
      await recordAudit(trx, { actorId: actor.userId, action: 'room.created', target: { type: 'room', id: room.id }, data: { kind: room.kind, memberIds: others }, ip: actor.ip });
      await announceAdded(trx, log, stored, [actor.userId, ...others], actor.userId, { roomCreated: true });
      return stored;
    });
    return { room: created, created: true };
  }

  async addMembers(actor: Actor, roomId: string, userIds: string[]): Promise<Room> {
    const room = await this.requireRoomAccess(actor, roomId, 'write');
    if (room.kind === 'dm') throw new AppError('ROOM_KIND_FORBIDS');
    if (room.kind === 'group' && room.my_role !== 'owner') throw new AppError('FORBIDDEN');
    await this.requireUsersExist(userIds);
    return this.admit(actor, room.id, [...new Set(userIds)]);
  }

  /** Anyone in the organisation may join a channel; groups and direct messages stay invisible. */
  async joinChannel(actor: Actor, roomId: string): Promise<Room> {
    if (actor.role === 'guest') throw new AppError('GUEST_NOT_ALLOWED');
    const room = await this.findOpened(roomId);
    if (!room || room.kind !== 'channel') throw new AppError('ROOM_NOT_FOUND');
    if (room.frozen_at !== null) throw new AppError('ROOM_FROZEN', { reason: room.frozen_reason });
    return this.admit(actor, room.id, [actor.userId]);
  }

  /**
   * Loads a room the actor may invite people into: its owner, or an administrator for any room (audited by the
   * invite). Direct messages take no invites and a frozen room takes no one.
   */
  async requireRoomToInvite(actor: Actor, roomId: string): Promise<RoomRow> {
    const room = actor.role === 'admin' ? await this.findOpened(roomId) : await this.requireOwnedRoom(actor, roomId);
    if (!room) throw new AppError('ROOM_NOT_FOUND');
    if (room.kind === 'dm') throw new AppError('ROOM_KIND_FORBIDS');
    if (room.frozen_at !== null) throw new AppError('ROOM_FROZEN', { reason: room.frozen_reason });
    return room;
  }

  private async requireOwnedRoom(actor: Actor, roomId: string): Promise<RoomWithMembership> {
    const room = await this.requireRoomAccess(actor, roomId);
    if (room.my_role !== 'owner') throw new AppError('FORBIDDEN');
    return room;
  }

  /** A person's role in a room, or undefined when they are not in it. */
  async membershipOf(userId: string, roomId: string): Promise<'owner' | 'member' | undefined> {
    return (await findRoomForMember(this.deps.db, roomId, userId))?.my_role;
  }

  /**
   * Whether an invite may let someone in: no membership is needed for that, but the room must still take people
   * (not frozen), a guest only joins groups (as with `joinChannel`, a guest does not walk into channels), and the
   * newcomer's clearance must reach the ceiling.
   */
  async checkInvitedMayJoin(roomId: string, newcomer: { id: string; role: Role }): Promise<void> {
    const room = await this.findOpened(roomId);
    if (!room || room.kind === 'dm') throw new AppError('ROOM_NOT_FOUND');
    if (room.frozen_at !== null) throw new AppError('ROOM_FROZEN', { reason: room.frozen_reason });
    if (newcomer.role === 'guest' && room.kind === 'channel') throw new AppError('GUEST_NOT_ALLOWED');
    requireCleared(await this.deps.labels.ranks(), await clearancesOf(this.deps.db, [newcomer.id]), room.ceiling);
  }

  /**
   * Lets someone in through an invite, as `checkInvitedMayJoin` allows. `alsoInTransaction` commits with the
   * membership (the invite's use and its audit entry); it runs only when the person was not a member yet. `via`
   * names whose invite it was and who approved it, for the room's timeline.
   */
  async admitInvited(
    operator: Actor,
    roomId: string,
    newcomer: { id: string; role: Role },
    alsoInTransaction: (trx: Transaction<Database>) => Promise<void>,
    via: InvitedVia,
  ): Promise<Room> {
    await this.checkInvitedMayJoin(roomId, newcomer);
    return this.admit(operator, roomId, [newcomer.id], alsoInTransaction, via);
  }

  /**
   * Whether letting someone into the room by this person's invite needs an owner's approval: into a private
   * group, an invite by anyone but one of its owners (an administrator's, for themselves or anyone) admits no one
   * until an owner agrees. Channels are open to the whole organisation anyway.
   */
  async admissionNeedsOwner(roomId: string, invitedBy: string): Promise<boolean> {
    const room = await findRoom(this.deps.db, roomId);
    return room?.kind === 'group' && (await this.membershipOf(invitedBy, roomId)) !== 'owner';
  }

  /** Removes a member (owners only) or lets the actor leave; a direct message cannot be left. */
  async removeMember(actor: Actor, roomId: string, userId: string): Promise<void> {
    const room = await this.requireRoomAccess(actor, roomId, 'write');
    if (room.kind === 'dm') throw new AppError('ROOM_KIND_FORBIDS');
    const leaving = userId === actor.userId;
    if (!leaving && room.my_role !== 'owner') throw new AppError('FORBIDDEN');
    await this.deps.eventLog.write(async (trx, log) => {
      const target = await findRoomForMember(trx, roomId, userId);
      if (!target) throw new AppError('USER_NOT_FOUND');
      if (target.my_role === 'owner' && target.member_count > 1 && (await countOwners(trx, roomId)) === 1) throw new AppError('LAST_OWNER');
      await deleteMember(trx, roomId, userId, Date.now());
      const memberCount = await refreshMemberCount(trx, roomId);
      const guestCount = Number((await findRoom(trx, roomId))!.guest_count);
      await recordAudit(trx, { actorId: actor.userId, action: 'room.member_removed', target: { type: 'room', id: roomId }, data: { userId, left: leaving }, ip: actor.ip });
      const members = await membershipChanges(trx, [userId]);
      const event = { type: 'room.member_removed' as const, roomId, userIds: [userId], members, actorId: actor.userId, memberCount, guestCount };
      // The remaining members hear it through the room; the one removed can no longer, so they get their own copy.
      await log.append({ roomId }, event, { membership: { roomId, removed: [userId] } });
      await log.append({ userId }, event);
    });
  }

  /**
   * My rooms and the log position they reflect, read in one snapshot, so a client can apply exactly the stream
   * events after that position on top of the list.
   */
  async listRooms(actor: Actor): Promise<{ rooms: RoomSummary[]; position: number }> {
    return this.deps.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const position = await logHead(trx);
        const rows = await openRoomRows(trx, this.deps.keys, await listRoomsOfUser(trx, actor.userId));
        const members = await dmMembers(trx, rows.filter((row) => row.kind === 'dm').map((row) => row.id), actor.userId);
        const mentions = await unreadMentionCounts(trx, actor.userId);
        const rooms = rows.map((row) =>
          toRoomSummary(row, { unreadCount: Number(row.unread_count), mentionCount: mentions.get(row.id) ?? 0, dmMemberIds: members.get(row.id) ?? [] }),
        );
        return { rooms, position };
      });
  }

  async getRoom(actor: Actor, roomId: string): Promise<RoomSummary> {
    const room = await this.requireRoomAccess(actor, roomId);
    const unreadCount = await countUnread(this.deps.db, roomId, actor.userId, Number(room.last_read_position));
    const mentions = await unreadMentionCounts(this.deps.db, actor.userId, roomId);
    const members = room.kind === 'dm' ? await dmMembers(this.deps.db, [roomId], actor.userId) : new Map<string, string[]>();
    return toRoomSummary(room, { unreadCount, mentionCount: mentions.get(roomId) ?? 0, dmMemberIds: members.get(roomId) ?? [] });
  }

  /**
   * Owners rename a group or set its topic; in a channel any member may. The classification (ceiling, default
   * label) is for owners only, in every kind of room but direct messages.
   */
  async updateRoom(
    actor: Actor,
    roomId: string,
    changes: RoomUpdateRequest,
  ): Promise<Room> {
    const room = await this.requireRoomAccess(actor, roomId, 'write');
    const reclassifying = changes.ceiling !== undefined || changes.defaultLabel !== undefined;
    const policy = roomPolicyChanges(changes);
    if (room.kind === 'dm') throw new AppError('ROOM_KIND_FORBIDS');
    if ((room.kind === 'group' || reclassifying || policy) && room.my_role !== 'owner') throw new AppError('FORBIDDEN');
    // Checked against the room as it is now: a name or topic is refused before the change it comes with is made.
    if (changes.name) await this.deps.names.checkRoomText(actor, { existing: room }, room.kind === 'group' ? 'group-name' : 'room-name', changes.name);
    if (changes.topic) await this.deps.names.checkRoomText(actor, { existing: room }, 'room-topic', changes.topic);
    const ranks = await this.deps.labels.ranks();
    const classification = reclassifying
      ? reclassifyRoom(ranks, { ceiling: room.ceiling, defaultLabel: room.default_label }, changes, { clearances: await memberClearances(this.deps.db, roomId) })
      : undefined;
    if (changes.name !== undefined || changes.topic !== undefined) await prepareRoomKey(this.deps.db, this.deps.keys, roomId);
    return this.deps.eventLog.write(async (trx, log) => {
      // Counted in the transaction that lowers the ceiling, so nothing sent meanwhile escapes the decision.
      const contentChange = changes.ceiling !== undefined ? await this.settleContentAbove(trx, actor, roomId, ranks, changes.ceiling, changes.contentAbove) : undefined;
      const key = changes.name !== undefined || changes.topic !== undefined ? await roomKeyFor(trx, this.deps.keys, roomId) : undefined;
      await updateRoomRow(trx, roomId, {
        ...(changes.name !== undefined && key ? { name: sealRoomText(this.deps.keys, key, roomId, 'name', changes.name) } : {}),
        ...(changes.topic !== undefined && key ? { topic: sealRoomText(this.deps.keys, key, roomId, 'topic', changes.topic) } : {}),
        ...(classification ? { ceiling: classification.ceiling, default_label: classification.defaultLabel } : {}),
        ...(changes.forwarding !== undefined ? { forwarding: changes.forwarding } : {}),
        ...(changes.copyAllowed !== undefined ? { copy_allowed: changes.copyAllowed ? 1 : 0 } : {}),
        ...(changes.downloadAllowed !== undefined ? { download_allowed: changes.downloadAllowed ? 1 : 0 } : {}),
      });
      if (policy) await recordAudit(trx, { actorId: actor.userId, action: 'room.policy_changed', target: { type: 'room', id: roomId }, data: policy, ip: actor.ip });
      const updated = toWireRoom(await openRoomRow(trx, this.deps.keys, (await findRoom(trx, roomId))!));
      const { name, topic } = changes;
      if (name !== undefined || topic !== undefined) {
        // The new name and topic are the room's words: the audit log seals them (audit.service.ts).
        await recordAudit(trx, { actorId: actor.userId, action: 'room.updated', target: { type: 'room', id: roomId }, content: { name, topic }, keys: this.deps.keys, ip: actor.ip });
      }
      if (classification) {
        await recordAudit(trx, {
          actorId: actor.userId,
          action: contentChange !== undefined ? 'room.ceiling_downgraded' : 'room.ceiling_changed',
          target: { type: 'room', id: roomId },
          data: { from: { ceiling: room.ceiling, defaultLabel: room.default_label }, to: { ceiling: classification.ceiling, defaultLabel: classification.defaultLabel } },
          ip: actor.ip,
        });
      }
      await log.append({ roomId }, { type: 'room.updated', room: updated });
      return updated;
    });
  }

  /**
   * Carries out the owner's decision on what the room holds above a new ceiling (refusing with the counts when
   * there is none), in the update's transaction, and audits it with the counts, never the content. Returns the
   * decision taken, or undefined when nothing was above.
   */
  private async settleContentAbove(
    trx: Transaction<Database>,
    actor: Actor,
    roomId: string,
    ranks: LabelRanks,
    ceiling: string,
    asked: ContentAboveCeiling | undefined,
  ): Promise<ContentAboveCeiling | undefined> {
    const labels = ranks.above(ceiling);
    const above: ContentAbove = { messages: await countMessagesLabelled(trx, roomId, labels), files: await countRoomFilesLabelled(trx, roomId, labels) };
    const decision = decideContentAbove(ceiling, above, asked);
    if (decision === undefined) return undefined;
    if (decision === 'relabel') {
      // Files first: which files are the room's follows its messages, which stay where they are.
      await relabelRoomFiles(trx, roomId, labels, ceiling);
      await relabelMessages(trx, roomId, labels, ceiling);
    } else {
      await hideMessages(trx, roomId, labels, Date.now());
    }
    await recordAudit(trx, {
      actorId: actor.userId,
      action: decision === 'relabel' ? 'room.content_relabelled' : 'room.content_hidden',
      target: { type: 'room', id: roomId },
      data: { ceiling, messages: above.messages, files: above.files },
      ip: actor.ip,
    });
    return decision;
  }

  /**
   * Where watermarks apply in a room: an administrator's setting (the endpoint admits administrators only), which no
   * owner or member can change, audited and announced to the room so clients mark or unmark its view at once.
   */
  async setMarking(actor: Actor, roomId: string, marking: RoomMarking): Promise<Room> {
    const room = await findRoom(this.deps.db, roomId);
    if (!room) throw new AppError('ROOM_NOT_FOUND');
    return this.deps.eventLog.write(async (trx, log) => {
      await updateRoomRow(trx, roomId, { marking });
      await recordAudit(trx, { actorId: actor.userId, action: 'room.marking_changed', target: { type: 'room', id: roomId }, data: { from: room.marking, to: marking }, ip: actor.ip });
      const updated = toWireRoom(await openRoomRow(trx, this.deps.keys, (await findRoom(trx, roomId))!));
      await log.append({ roomId }, { type: 'room.updated', room: updated });
      return updated;
    });
  }

  async muteRoom(actor: Actor, roomId: string, muted: boolean): Promise<RoomSummary> {
    await this.requireRoomAccess(actor, roomId);
    await setMuted(this.deps.db, roomId, actor.userId, muted);
    return this.getRoom(actor, roomId);
  }

  /**
   * The channel directory: the channels the actor is in, and those they could join. A channel whose ceiling is
   * above their clearance is not listed at all, not even by name: its existence is itself need-to-know.
   */
  async listChannels(actor: Actor) {
    if (actor.role === 'guest') throw new AppError('GUEST_NOT_ALLOWED');
    const ranks = await this.deps.labels.ranks();
    const clearance = (await clearancesOf(this.deps.db, [actor.userId])).get(actor.userId) ?? DEFAULT_LABEL;
    // Names are sealed, so the directory is sorted here, by code point as the database sorted it before.
    const rows = (await openRoomRows(this.deps.db, this.deps.keys, await listChannels(this.deps.db, actor.userId))).sort((a, b) => compareNames(a.name, b.name));
    return rows.filter((row) => row.member_id !== null || ranks.fits(row.ceiling, clearance)).map((row) => ({ ...toWireRoom(row), joined: row.member_id !== null }));
  }

  async listMembers(actor: Actor, roomId: string) {
    await this.requireRoomAccess(actor, roomId);
    const rows = await listMembers(this.deps.db, roomId);
    return rows.map((row) => ({ userId: row.user_id, role: row.role, joinedAt: new Date(Number(row.joined_at)).toISOString(), guest: row.account_role === 'guest' }));
  }

  private async admit(actor: Actor, roomId: string, userIds: string[], alsoInTransaction?: (trx: Transaction<Database>) => Promise<void>, via?: InvitedVia): Promise<Room> {
    const { ceiling } = (await findRoom(this.deps.db, roomId))!;
    requireCleared(await this.deps.labels.ranks(), await clearancesOf(this.deps.db, userIds), ceiling);
    return this.deps.eventLog.write(async (trx, log) => {
      const already = new Set(await existingMemberIds(trx, roomId, userIds));
      const newcomers = userIds.filter((id) => !already.has(id));
      const now = Date.now();
      await insertMembers(trx, newcomers.map((userId) => ({ room_id: roomId, user_id: userId, role: 'member' as const, joined_at: now })));
      const memberCount = await refreshMemberCount(trx, roomId);
      const room = toWireRoom(await openRoomRow(trx, this.deps.keys, { ...(await findRoom(trx, roomId))!, member_count: memberCount }));
      if (newcomers.length === 0) return room;
      await alsoInTransaction?.(trx);
      const admission = via?.approvedBy !== undefined ? { invitedBy: via.invitedBy, approvedBy: via.approvedBy } : undefined;
      await recordAudit(trx, { actorId: actor.userId, action: 'room.members_added', target: { type: 'room', id: roomId }, data: { userIds: newcomers, ...admission }, ip: actor.ip });
      await announceAdded(trx, log, room, newcomers, actor.userId, admission ? { admission } : via ? { invitedBy: via.invitedBy } : {});
      return room;
    });
  }

  /**
   * A guest may only start direct messages, and only with people they already share a room with; channels and
   * groups are for the organisation's own people to open.
   */
  private async checkGuestMayStart(actor: Actor, kind: RoomKind, others: string[]): Promise<void> {
    if (kind !== 'dm') throw new AppError('GUEST_NOT_ALLOWED');
    for (const other of others) if (!(await sharesRoom(this.deps.db, actor.userId, other))) throw new AppError('GUEST_NOT_ALLOWED', { userId: other });
  }

  private async findOpened(roomId: string): Promise<RoomRow | undefined> {
    const room = await findRoom(this.deps.db, roomId);
    return room && openRoomRow(this.deps.db, this.deps.keys, room);
  }

  private async requireUsersExist(userIds: string[]): Promise<void> {
    const found = new Set(await findExistingUserIds(this.deps.db, userIds));
    const missing = userIds.filter((id) => !found.has(id));
    if (missing.length > 0) throw new AppError('USER_NOT_FOUND', { userIds: missing });
  }
}

function compareNames(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return a < b ? -1 : 1;
}

/** The forwarding, copy and download settings a room update changes, or undefined when it changes none. */
function roomPolicyChanges(changes: RoomUpdateRequest): Pick<RoomUpdateRequest, 'forwarding' | 'copyAllowed' | 'downloadAllowed'> | undefined {
  const { forwarding, copyAllowed, downloadAllowed } = changes;
  if (forwarding === undefined && copyAllowed === undefined && downloadAllowed === undefined) return undefined;
  return { forwarding, copyAllowed, downloadAllowed };
}

/** Whose invite let someone in, and who approved it when it waited for an approval (an owner's or an administrator's). */
export interface InvitedVia {
  invitedBy: string;
  approvedBy?: string;
}

/** How the people came in, as the event tells the room's timeline (`MemberAddedEvent`). */
type HowAdded = { admission?: { invitedBy: string; approvedBy: string }; invitedBy?: string; roomCreated?: true };

async function announceAdded(trx: Transaction<Database>, log: LogAppender, room: Room, userIds: string[], actorId: string, how: HowAdded = {}): Promise<number> {
  const members = await membershipChanges(trx, userIds);
  return log.append({ roomId: room.id }, { type: 'room.member_added', room, userIds, members, actorId, ...how }, { membership: { roomId: room.id, added: userIds } });
}

/** The people of a membership event, each marked when they are a guest. */
async function membershipChanges(trx: Transaction<Database>, userIds: string[]): Promise<MembershipChange[]> {
  const guests = await guestsAmong(trx, userIds);
  return userIds.map((userId) => ({ userId, guest: guests.has(userId) }));
}
