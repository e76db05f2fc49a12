import { membershipLineOf, type FileInfo, type LoggedEvent, type MembershipLine, type Message, type Room, type RoomSummary } from '@enclave/protocol';
import { mergeMembershipLines } from './membership-lines';
import { mergeMessages } from './merge-messages';
import { addLive, placeWindow, type Timeline } from './timeline-window';

/** A message of mine the server has not acknowledged yet; shown at once so that sending feels instant. */
export interface PendingMessage {
  clientId: string;
  roomId: string;
  text: string;
  createdAt: string;
  /** A thread reply: shown in the thread panel (and, with alsoSendToRoom, in the room too). */
  threadRootId?: string;
  alsoSendToRoom?: boolean;
  /** The classification label chosen in the composer. */
  label?: string;
  /** Files uploaded from the composer that the message carries; the text may then be empty. */
  files?: FileInfo[];
  /** Sent urgent, ringing through quiet hours, with this reason (the urgent policy decides whether I may). */
  urgentReason?: string;
  /** From the send guard's CONFIRMATION_REQUIRED answer, once the sender has confirmed who receives the message. */
  confirmationToken?: string;
  /** The server's translated reason when the send was refused. */
  error?: string;
}

/**
 * What the sender must be told about a message data-protection rules stopped: refused (the text went back to the
 * composer), held for a compliance officer, or the officer's decision on a held one. `id` is the review id for the
 * last three, so that the decision replaces the "held" notice in place.
 */
export type SendNotice =
  | { kind: 'blocked'; id: string; roomId: string; threadRootId?: string; rules: string[]; unreadFiles: string[] }
  | { kind: 'held'; id: string; roomId: string; threadRootId?: string; rules: string[] }
  | { kind: 'released' | 'rejected'; id: string; roomId: string; threadRootId?: string };

export interface ChatState {
  myId: string;
  /** Undefined until the room list has loaded. */
  rooms: RoomSummary[] | undefined;
  openRoomId: string | undefined;
  /** Only rooms that have been opened keep a timeline; the others only count unread messages. */
  timelines: Record<string, Timeline>;
  /**
   * Who came and went in rooms with a timeline, oldest first, from history pages and live events; the timeline
   * shows those within the stretch of messages it holds (see linesShown).
   */
  membershipLines: Record<string, MembershipLine[]>;
  pending: Record<string, PendingMessage[]>;
  /** The newest message position this page has seen per room, to decide whether a read mark covers everything. */
  newestPosition: Record<string, number>;
  /**
   * Rooms whose summary must be fetched: one I was just added to (the event lacks my view of it), or one whose
   * unread count a read mark from another device changed in a way only the server knows.
   */
  staleRoomIds: string[];
  /** Events that arrived before the room list; they are applied to it once it is there. */
  earlyEvents: LoggedEvent[];
  /** Replies of the threads that have been opened, by root message id. */
  threads: Record<string, Timeline>;
  /** Where each other member has read up to, per room, for rooms whose positions were fetched. */
  readPositions: Record<string, Record<string, number>>;
  /** Rooms deleted while this page was open, so that an open one can say so instead of "not found". */
  deletedRoomIds: string[];
  /** Data-protection outcomes of my own sends, oldest first, shown above the composer they came from. */
  sendNotices: SendNotice[];
  /** Bumped whenever one of my scheduled messages settled (sent, held or failed), so my scheduled list is read again. */
  scheduledRevision: number;
}

export type ChatAction =
  /** `position`: the log position the list reflects. */
  | { type: 'rooms.loaded'; rooms: RoomSummary[]; position: number }
  | { type: 'room.upserted'; room: RoomSummary }
  /** `gone`: the server no longer shows me the room, so it leaves the list. */
  | { type: 'room.refresh-failed'; roomId: string; gone: boolean }
  | { type: 'room.changed'; room: Room }
  | { type: 'room.opened'; roomId: string | undefined }
  | { type: 'history.requested'; roomId: string }
  | { type: 'history.loaded'; roomId: string; newestFirst: Message[]; hasMore: boolean; lines: MembershipLine[] }
  /** A page around a message, or the newest page when going back to it: see placeWindow. */
  | { type: 'history.window-loaded'; roomId: string; newestFirst: Message[]; hasMore: boolean; hasNewer: boolean; follows?: boolean; lines: MembershipLine[] }
  | { type: 'read.marked'; roomId: string; lastReadPosition: number; unreadCount: number; mentionCount: number }
  | { type: 'send.started'; message: PendingMessage }
  | { type: 'send.confirmed'; message: Message }
  | { type: 'send.failed'; roomId: string; clientId: string; error: string }
  /** The server wants something of the sender (a confirmation, a rewrite) rather than a retry: the echo goes. */
  | { type: 'send.withdrawn'; roomId: string; clientId: string }
  | { type: 'notice.added'; notice: SendNotice }
  | { type: 'notice.dismissed'; id: string }
  /** The server's fresh copy of a message after I edited, reacted to or pinned it. */
  | { type: 'message.changed'; message: Message }
  | { type: 'thread.requested'; rootId: string }
  | { type: 'thread.loaded'; rootId: string; newestFirst: Message[]; hasMore: boolean }
  | { type: 'read-positions.loaded'; roomId: string; positions: { userId: string; lastReadPosition: number }[] }
  | { type: 'event'; event: LoggedEvent };

export function initialChatState(myId: string): ChatState {
  return {
    myId,
    rooms: undefined,
    openRoomId: undefined,
    timelines: {},
    membershipLines: {},
    pending: {},
    newestPosition: {},
    staleRoomIds: [],
    earlyEvents: [],
    threads: {},
    readPositions: {},
    deletedRoomIds: [],
    sendNotices: [],
    scheduledRevision: 0,
  };
}

export function chatReducer(state: ChatState, action: ChatAction): ChatState {
  switch (action.type) {
    case 'rooms.loaded':
      // The list already counts every event up to its position; early events after it still count.
      return state.earlyEvents.reduce<ChatState>((next, event) => applyEvent(next, event, { countUnread: event.position > action.position }), {
        ...state,
        rooms: action.rooms,
        earlyEvents: [],
      });
    case 'room.upserted':
      return { ...state, rooms: upsertRoom(state.rooms ?? [], action.room), staleRoomIds: without(state.staleRoomIds, action.room.id) };
    case 'room.refresh-failed':
      return {
        ...state,
        rooms: action.gone ? state.rooms?.filter((room) => room.id !== action.roomId) : state.rooms,
        staleRoomIds: without(state.staleRoomIds, action.roomId),
      };
    case 'room.changed':
      return updateRoom(forgetIfReclassified(state, action.room.id, action.room.ceiling), action.room.id, (room) => ({ ...room, ...action.room }));
    case 'room.opened':
      return { ...state, openRoomId: action.roomId };
    case 'history.requested':
      return state.timelines[action.roomId] ? state : setTimeline(state, action.roomId, { messages: [], hasMore: false, loaded: false });
    case 'history.loaded':
      return addLines(applyHistory(state, action.roomId, action.newestFirst, action.hasMore), action.roomId, action.lines);
    case 'history.window-loaded':
      return addLines(setTimeline(withNewest(state, action.roomId, action.newestFirst[0]?.position), action.roomId, placeWindow(state.timelines[action.roomId], action)), action.roomId, action.lines);
    case 'read.marked':
      return updateRoom(state, action.roomId, (room) => ({
        ...room,
        lastReadPosition: Math.max(room.lastReadPosition, action.lastReadPosition),
        unreadCount: action.unreadCount,
        mentionCount: action.mentionCount,
      }));
    case 'message.changed':
      return replaceMessage(state, action.message);
    case 'thread.requested':
      return state.threads[action.rootId] ? state : { ...state, threads: { ...state.threads, [action.rootId]: { messages: [], hasMore: false, loaded: false } } };
    case 'thread.loaded': {
      const thread = state.threads[action.rootId] ?? { messages: [], hasMore: false, loaded: false };
      const messages = mergeMessages(thread.messages, action.newestFirst);
      return { ...state, threads: { ...state.threads, [action.rootId]: { messages, hasMore: action.hasMore, loaded: true } } };
    }
    case 'read-positions.loaded': {
      const positions = Object.fromEntries(action.positions.map((p) => [p.userId, p.lastReadPosition]));
      return { ...state, readPositions: { ...state.readPositions, [action.roomId]: { ...positions, ...keepHigher(state.readPositions[action.roomId], positions) } } };
    }
    case 'send.started':
      return setPending(state, action.message.roomId, [
        ...withoutPending(state, action.message.roomId, action.message.clientId),
        action.message,
      ]);
    case 'send.confirmed':
      return addMessage(state, action.message);
    case 'send.failed':
      return setPending(
        state,
        action.roomId,
        (state.pending[action.roomId] ?? []).map((p) => (p.clientId === action.clientId ? { ...p, error: action.error } : p)),
      );
    case 'send.withdrawn':
      return setPending(state, action.roomId, withoutPending(state, action.roomId, action.clientId));
    case 'notice.added':
      return { ...state, sendNotices: [...state.sendNotices.filter((notice) => notice.id !== action.notice.id), action.notice] };
    case 'notice.dismissed':
      return { ...state, sendNotices: state.sendNotices.filter((notice) => notice.id !== action.id) };
    case 'event':
      if (!state.rooms) return { ...state, earlyEvents: [...state.earlyEvents, action.event] };
      return applyEvent(state, action.event, { countUnread: true });
  }
}

function applyEvent(state: ChatState, event: LoggedEvent, { countUnread }: { countUnread: boolean }): ChatState {
  switch (event.type) {
    case 'message.created': {
      const { message } = event;
      // A reply that stays in its thread is not part of the room's timeline, so it does not count as unread there.
      const inRoom = message.threadRootId === null || message.alsoInRoom;
      const counts = countUnread && inRoom && message.roomId !== state.openRoomId && message.senderId !== state.myId;
      const mentionsMe = counts && mentions(message, state.myId);
      const next = addMessage(state, message);
      return counts
        ? updateRoom(next, message.roomId, (room) => ({ ...room, unreadCount: room.unreadCount + 1, mentionCount: room.mentionCount + (mentionsMe ? 1 : 0) }))
        : next;
    }
    case 'message.updated':
      return replaceMessage(state, event.message);
    case 'reactions.changed':
      return changeMessage(state, event.roomId, event.messageId, (message) => ({ ...message, reactions: event.reactions }));
    case 'room.updated': {
      // Only the shared facts of the room; my own view of it (unread, muted, role) is not in the event.
      const { name, topic, frozen, memberCount, lastMessageAt, ceiling, defaultLabel, guestCount, forwarding, copyAllowed, downloadAllowed } = event.room;
      const shared = { name, topic, frozen, memberCount, lastMessageAt, ceiling, defaultLabel, guestCount, forwarding, copyAllowed, downloadAllowed };
      return updateRoom(forgetIfReclassified(state, event.room.id, ceiling), event.room.id, (room) => ({ ...room, ...shared }));
    }
    case 'room.deleted': {
      const { [event.roomId]: _timeline, ...timelines } = state.timelines;
      const { [event.roomId]: _lines, ...membershipLines } = state.membershipLines;
      return {
        ...state,
        membershipLines,
        rooms: state.rooms?.filter((room) => room.id !== event.roomId),
        timelines,
        deletedRoomIds: state.deletedRoomIds.includes(event.roomId) ? state.deletedRoomIds : [...state.deletedRoomIds, event.roomId],
      };
    }
    case 'messages.purged':
      return dropMessages(state, event.roomId, new Set(event.messageIds));
    case 'room.read_by': {
      const known = state.readPositions[event.roomId];
      if (!known || (known[event.userId] ?? 0) >= event.lastReadPosition) return state;
      return { ...state, readPositions: { ...state.readPositions, [event.roomId]: { ...known, [event.userId]: event.lastReadPosition } } };
    }
    case 'room.member_added': {
      const next = updateRoom(addLiveLine(state, event.room.id, event), event.room.id, (room) => ({ ...room, memberCount: event.room.memberCount, guestCount: event.room.guestCount }));
      return event.userIds.includes(state.myId) ? markStale(next, event.room.id) : next;
    }
    case 'room.member_removed':
      if (event.userIds.includes(state.myId)) {
        return { ...state, rooms: state.rooms?.filter((room) => room.id !== event.roomId) };
      }
      return updateRoom(addLiveLine(state, event.roomId, event), event.roomId, (room) => ({ ...room, memberCount: event.memberCount, guestCount: event.guestCount }));
    case 'room.read': {
      const newest = state.newestPosition[event.roomId];
      const readsAll = newest !== undefined && event.lastReadPosition >= newest;
      const hadUnread = state.rooms?.some((room) => room.id === event.roomId && room.unreadCount > 0) ?? false;
      const next = updateRoom(state, event.roomId, (room) => ({
        ...room,
        lastReadPosition: Math.max(room.lastReadPosition, event.lastReadPosition),
        unreadCount: readsAll ? 0 : room.unreadCount,
        mentionCount: readsAll ? 0 : room.mentionCount,
      }));
      return hadUnread && !readsAll ? markStale(next, event.roomId) : next;
    }
    case 'review.decided':
      return decideReview(state, event.reviewId, event.roomId, event.outcome);
    case 'scheduled.settled':
      return { ...state, scheduledRevision: state.scheduledRevision + 1 };
  }
}

/** The decision takes the place of the "held" notice it answers; one held on another page or before a reload is added. */
function decideReview(state: ChatState, reviewId: string, roomId: string, outcome: 'released' | 'rejected'): ChatState {
  const held = state.sendNotices.find((notice) => notice.id === reviewId);
  const decided: SendNotice = { kind: outcome, id: reviewId, roomId, ...(held?.threadRootId ? { threadRootId: held.threadRootId } : {}) };
  if (!held) return { ...state, sendNotices: [...state.sendNotices, decided] };
  return { ...state, sendNotices: state.sendNotices.map((notice) => (notice.id === reviewId ? decided : notice)) };
}

/** Whether a message calls me by name or calls everyone. */
export function mentions(message: Message, userId: string): boolean {
  return message.mentionsAll || message.mentions.includes(userId);
}

function addMessage(state: ChatState, message: Message): ChatState {
  const withThread = message.threadRootId === null ? state : addToThread(state, message.threadRootId, message);
  if (message.threadRootId !== null && !message.alsoInRoom) {
    const pending = message.clientId ? withoutPending(state, message.roomId, message.clientId) : state.pending[message.roomId];
    return setPending(withThread, message.roomId, pending ?? []);
  }
  return addToRoom(withThread, message);
}

function addToThread(state: ChatState, rootId: string, message: Message): ChatState {
  const thread = state.threads[rootId];
  if (!thread) return state;
  return { ...state, threads: { ...state.threads, [rootId]: { ...thread, messages: mergeMessages(thread.messages, [message]) } } };
}

/** A stored message changed: put the new copy wherever the old one is shown, keeping its place. */
function replaceMessage(state: ChatState, message: Message): ChatState {
  return changeMessage(state, message.roomId, message.id, () => message);
}

function changeMessage(state: ChatState, roomId: string, messageId: string, change: (message: Message) => Message): ChatState {
  const swapIn = (messages: Message[]): Message[] => (messages.some((m) => m.id === messageId) ? messages.map((m) => (m.id === messageId ? change(m) : m)) : messages);
  const swap = (timeline: Timeline): Timeline => {
    const messages = swapIn(timeline.messages);
    const heldLive = timeline.heldLive && swapIn(timeline.heldLive);
    return messages === timeline.messages && heldLive === timeline.heldLive ? timeline : { ...timeline, messages, ...(heldLive ? { heldLive } : {}) };
  };
  const timeline = state.timelines[roomId];
  const timelines = timeline ? { ...state.timelines, [roomId]: swap(timeline) } : state.timelines;
  const threads = Object.fromEntries(Object.entries(state.threads).map(([rootId, thread]) => [rootId, swap(thread)]));
  return { ...state, timelines, threads };
}

/** Messages the retention purge erased leave the room's timeline and every open thread, as a fresh fetch would show. */
function dropMessages(state: ChatState, roomId: string, ids: ReadonlySet<string>): ChatState {
  const keep = (messages: Message[]): Message[] => (messages.some((m) => ids.has(m.id)) ? messages.filter((m) => !ids.has(m.id)) : messages);
  const drop = (timeline: Timeline): Timeline => {
    const messages = keep(timeline.messages);
    const heldLive = timeline.heldLive && keep(timeline.heldLive);
    return messages === timeline.messages && heldLive === timeline.heldLive ? timeline : { ...timeline, messages, ...(heldLive ? { heldLive } : {}) };
  };
  const timeline = state.timelines[roomId];
  const timelines = timeline ? { ...state.timelines, [roomId]: drop(timeline) } : state.timelines;
  const threads = Object.fromEntries(Object.entries(state.threads).map(([rootId, thread]) => [rootId, drop(thread)]));
  return { ...state, timelines, threads };
}

function keepHigher(current: Record<string, number> | undefined, incoming: Record<string, number>): Record<string, number> {
  // A live read_by event may have overtaken the fetched snapshot; the higher position is the newer truth.
  return Object.fromEntries(Object.entries(current ?? {}).filter(([userId, position]) => position > (incoming[userId] ?? 0)));
}

function addToRoom(state: ChatState, message: Message): ChatState {
  const pending = message.clientId ? withoutPending(state, message.roomId, message.clientId) : state.pending[message.roomId];
  const withoutEcho = setPending(withNewest(state, message.roomId, message.position), message.roomId, pending ?? []);
  const timeline = state.timelines[message.roomId];
  if (!timeline) return withoutEcho;
  return setTimeline(withoutEcho, message.roomId, addLive(timeline, message));
}

function withNewest(state: ChatState, roomId: string, position: number | undefined): ChatState {
  if (position === undefined) return state;
  return { ...state, newestPosition: { ...state.newestPosition, [roomId]: Math.max(state.newestPosition[roomId] ?? 0, position) } };
}

/** The newest page, or an older one: it joins the messages shown (an older page keeps a stretch of the past as it is). */
function applyHistory(state: ChatState, roomId: string, newestFirst: Message[], hasMore: boolean): ChatState {
  const timeline = state.timelines[roomId] ?? { messages: [], hasMore: false, loaded: false };
  return setTimeline(withNewest(state, roomId, newestFirst[0]?.position), roomId, { ...timeline, messages: mergeMessages(timeline.messages, newestFirst), hasMore, loaded: true });
}

/** Lines of a history page join those known; a room without a timeline keeps none (its newest page brings them). */
function addLines(state: ChatState, roomId: string, lines: MembershipLine[]): ChatState {
  if (!state.timelines[roomId]) return state;
  return { ...state, membershipLines: { ...state.membershipLines, [roomId]: mergeMembershipLines(state.membershipLines[roomId] ?? [], lines) } };
}

/** A membership change as it happens, made into the same line history would give, and never counted as unread. */
function addLiveLine(state: ChatState, roomId: string, event: Extract<LoggedEvent, { type: 'room.member_added' | 'room.member_removed' }>): ChatState {
  return addLines(state, roomId, [membershipLineOf(event)]);
}

function markStale(state: ChatState, roomId: string): ChatState {
  return state.staleRoomIds.includes(roomId) ? state : { ...state, staleRoomIds: [...state.staleRoomIds, roomId] };
}

function without(ids: string[], id: string): string[] {
  return ids.includes(id) ? ids.filter((other) => other !== id) : ids;
}

function upsertRoom(rooms: RoomSummary[], room: RoomSummary): RoomSummary[] {
  return rooms.some((r) => r.id === room.id) ? rooms.map((r) => (r.id === room.id ? room : r)) : [...rooms, room];
}

/**
 * A changed ceiling may have relabelled or hidden messages already loaded (the server no longer shows content above
 * it as it was), so the room's loaded messages are let go and fetched again when it is shown.
 */
function forgetIfReclassified(state: ChatState, roomId: string, ceiling: string): ChatState {
  const known = state.rooms?.find((room) => room.id === roomId);
  if (!known || known.ceiling === ceiling || !state.timelines[roomId]) return state;
  const { [roomId]: _reloaded, ...timelines } = state.timelines;
  return { ...state, timelines };
}

function updateRoom(state: ChatState, roomId: string, change: (room: RoomSummary) => RoomSummary): ChatState {
  if (!state.rooms?.some((room) => room.id === roomId)) return state;
  return { ...state, rooms: state.rooms.map((room) => (room.id === roomId ? change(room) : room)) };
}

function setTimeline(state: ChatState, roomId: string, timeline: Timeline): ChatState {
  return { ...state, timelines: { ...state.timelines, [roomId]: timeline } };
}

function setPending(state: ChatState, roomId: string, pending: PendingMessage[]): ChatState {
  return { ...state, pending: { ...state.pending, [roomId]: pending } };
}

function withoutPending(state: ChatState, roomId: string, clientId: string): PendingMessage[] {
  return (state.pending[roomId] ?? []).filter((p) => p.clientId !== clientId);
}
