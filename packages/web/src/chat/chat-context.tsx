import type { EphemeralEvent, ErrorCode, LoggedEvent, Message, MessageRestrictions, Room, RoomSummary } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { api, describeError } from '../app/api';
import { usePeople } from '../people/people-context';
import { useMe, useSession } from '../session/session-context';
import { chatReducer, initialChatState, type ChatState, type PendingMessage, type SendNotice } from './chat-state';
import { createHistoryGenerations } from './history-generations';
import { useEventStream, type ConnectionState } from './use-event-stream';

export interface Chat {
  state: ChatState;
  connection: ConnectionState;
  /** The server's message when the room list could not be loaded. */
  loadError: string | undefined;
  reloadRooms(): void;
  openRoom(roomId: string | undefined): void;
  /** Loads the newest page, or with `before` the page older than that message. */
  loadHistory(roomId: string, before?: string): Promise<void>;
  /** Shows the page around a message (a search result opened in context) in place of what the room showed. */
  loadAround(roomId: string, messageId: string): Promise<void>;
  /** The next newer page while the room shows a stretch of the past; `newestId` is the newest message shown. */
  loadNewer(roomId: string, newestId: string): Promise<void>;
  /** Leaves a stretch of the past for the room's newest page. */
  loadLatest(roomId: string): Promise<void>;
  markRead(roomId: string, messageId: string): void;
  /**
   * Shows the message as pending at once and sends it; resolves with the stored message. A refusal the sender must
   * answer (CONFIRMATION_REQUIRED, DLP_BLOCKED, DLP_HELD_FOR_REVIEW) takes the pending copy away and rejects, for
   * the outbox to handle; any other failure leaves it marked "not sent" with a retry, and rejects too.
   */
  send(message: PendingMessage): Promise<Message>;
  editMessage(messageId: string, text: string, confirmationToken?: string): Promise<void>;
  /** Forwards a message into one of my rooms; resolves with the copy there. */
  forwardMessage(messageId: string, roomId: string, confirmationToken?: string): Promise<Message>;
  restrictMessage(messageId: string, restrictions: MessageRestrictions): Promise<void>;
  addNotice(notice: SendNotice): void;
  dismissNotice(id: string): void;
  deleteMessage(messageId: string): Promise<void>;
  /** Takes my message back within the server's recall window; everyone sees that it was recalled, never what it said. */
  /** `includeCopies`: its forwards and fingerprint copies in other rooms go too, where the organisation allows it. */
  recallMessage(messageId: string, includeCopies?: boolean): Promise<void>;
  setReaction(messageId: string, emoji: string, on: boolean): Promise<void>;
  setPinned(messageId: string, pinned: boolean): Promise<void>;
  loadThread(roomId: string, rootId: string): Promise<void>;
  /** Fetches every member's read position once per opened room; `room.read_by` events keep them current. */
  loadReadPositions(roomId: string): void;
  setMuted(roomId: string, muted: boolean): Promise<void>;
  /** Hears every stream event, logged or ephemeral (presence, typing), e.g. for notifications; returns an unsubscribe. */
  listen(listener: (event: LoggedEvent | EphemeralEvent) => void): () => void;
  sendTyping(roomId: string, threadRootId?: string): void;
  setPresence(status: 'online' | 'away'): void;
  watchPresence(userIds: string[]): void;
  /** Fetches one of my rooms and puts it in the list, after creating or joining it or being added to it. */
  refreshRoom(roomId: string): Promise<RoomSummary>;
  roomChanged(room: Room): void;
}

const HISTORY_PAGE = 50;

/**
 * Refusals that ask something of the sender (confirm, rewrite, wait for a review, send it without urgency) rather
 * than a retry.
 */
const ANSWERED_BY_SENDER: readonly ErrorCode[] = ['CONFIRMATION_REQUIRED', 'DLP_BLOCKED', 'DLP_HELD_FOR_REVIEW', 'URGENT_NOT_ALLOWED', 'URGENT_RATE_LIMITED', 'URGENT_REASON_REQUIRED'];

export function ChatProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const session = useSession();
  const people = usePeople();
  const [state, dispatch] = useReducer(chatReducer, me.id, initialChatState);
  const [loadError, setLoadError] = useState<string | undefined>();
  const directory = useRef(people);
  useEffect(() => {
    directory.current = people;
  });
  const readRequested = useRef(new Map<string, string>());
  const historyGenerations = useRef(createHistoryGenerations());

  const reloadRooms = useCallback(() => {
    setLoadError(undefined);
    api.endpoint('listRooms')().then(
      ({ rooms, position }) => dispatch({ type: 'rooms.loaded', rooms, position }),
      (error: unknown) => setLoadError(describeError(error)),
    );
  }, []);

  const refreshRoom = useCallback(async (roomId: string) => {
    const { room } = await api.endpoint('getRoom')({ params: { roomId } });
    dispatch({ type: 'room.upserted', room });
    return room;
  }, []);

  const listeners = useRef(new Set<(event: LoggedEvent | EphemeralEvent) => void>());
  const tell = useCallback((event: LoggedEvent | EphemeralEvent) => {
    for (const listener of listeners.current) listener(event);
  }, []);

  const followEvent = useCallback((event: LoggedEvent) => {
    dispatch({ type: 'event', event });
    tell(event);
    const named = event.type === 'message.created' ? [event.message.senderId] : event.type === 'room.member_added' ? event.userIds : [];
    if (named.some((id) => !directory.current.byId.has(id))) directory.current.refresh();
  }, [tell]);

  const refreshing = useRef(new Set<string>());
  useEffect(() => {
    for (const roomId of state.staleRoomIds) {
      if (refreshing.current.has(roomId)) continue;
      refreshing.current.add(roomId);
      refreshRoom(roomId)
        .catch((error: unknown) => {
          const gone = error instanceof EnclaveApiError && error.code === 'ROOM_NOT_FOUND';
          dispatch({ type: 'room.refresh-failed', roomId, gone });
        })
        .finally(() => refreshing.current.delete(roomId));
    }
  }, [state.staleRoomIds, refreshRoom]);

  const { stream, connection } = useEventStream(followEvent, session.expire, tell);
  const readPositionsAsked = useRef(new Set<string>());

  // The room list is fetched only once the stream is live, so that any change after the snapshot arrives as an event
  // and no room I am added to meanwhile can slip between the two.
  const roomsRequested = useRef(false);
  useEffect(() => {
    if (connection !== 'live' || roomsRequested.current) return;
    roomsRequested.current = true;
    reloadRooms();
  }, [connection, reloadRooms]);

  const sendPending = useCallback(
    (message: PendingMessage): Promise<Message> => {
      dispatch({ type: 'send.started', message: { ...message, error: undefined } });
      const open = stream.current;
      if (!open) {
        dispatch({ type: 'send.failed', roomId: message.roomId, clientId: message.clientId, error: describeError(undefined) });
        return Promise.reject(new Error('the stream is closed'));
      }
      const { roomId, text, clientId, threadRootId, alsoSendToRoom, label, confirmationToken, urgentReason, files = [] } = message;
      const thread = threadRootId ? { threadRootId, alsoSendToRoom: alsoSendToRoom ?? false } : {};
      const choices = {
        ...(label ? { label } : {}),
        ...(confirmationToken ? { confirmationToken } : {}),
        ...(files.length > 0 ? { fileIds: files.map((file) => file.id) } : {}),
        ...(urgentReason ? { urgent: true, urgentReason } : {}),
      };
      return open.sendMessage({ roomId, text, clientId, ...thread, ...choices }).then(
        (confirmed) => {
          dispatch({ type: 'send.confirmed', message: confirmed });
          return confirmed;
        },
        (error: unknown) => {
          if (error instanceof EnclaveApiError && ANSWERED_BY_SENDER.includes(error.code)) dispatch({ type: 'send.withdrawn', roomId, clientId });
          else dispatch({ type: 'send.failed', roomId, clientId, error: describeError(error) });
          throw error;
        },
      );
    },
    [stream],
  );

  // Actions keep their identity across state changes, so that components can use them in effects.
  const actions = useMemo(
    () => ({
      reloadRooms,
      refreshRoom,
      openRoom: (roomId: string | undefined) => dispatch({ type: 'room.opened', roomId }),
      roomChanged: (room: Room) => dispatch({ type: 'room.changed', room }),
      async loadHistory(roomId: string, before?: string) {
        const counts = before === undefined ? historyGenerations.current.place(roomId) : historyGenerations.current.extend(roomId);
        dispatch({ type: 'history.requested', roomId });
        const { messages, hasMore, membershipLines } = await api.endpoint('listMessages')({ params: { roomId }, query: { limit: HISTORY_PAGE, before } });
        if (counts()) dispatch({ type: 'history.loaded', roomId, newestFirst: messages, hasMore, lines: membershipLines });
      },
      async loadAround(roomId: string, messageId: string) {
        const counts = historyGenerations.current.place(roomId);
        dispatch({ type: 'history.requested', roomId });
        const page = await api.endpoint('listMessages')({ params: { roomId }, query: { limit: HISTORY_PAGE, around: messageId } });
        if (counts()) dispatch({ type: 'history.window-loaded', roomId, newestFirst: page.messages, hasMore: page.hasMore, hasNewer: page.hasNewer ?? false, lines: page.membershipLines });
      },
      async loadNewer(roomId: string, newestId: string) {
        const counts = historyGenerations.current.extend(roomId);
        const page = await api.endpoint('listMessages')({ params: { roomId }, query: { limit: HISTORY_PAGE, after: newestId } });
        if (counts()) dispatch({ type: 'history.window-loaded', roomId, newestFirst: page.messages, hasMore: page.hasMore, hasNewer: page.hasNewer ?? false, follows: true, lines: page.membershipLines });
      },
      async loadLatest(roomId: string) {
        const counts = historyGenerations.current.place(roomId);
        const { messages, hasMore, membershipLines } = await api.endpoint('listMessages')({ params: { roomId }, query: { limit: HISTORY_PAGE } });
        if (counts()) dispatch({ type: 'history.window-loaded', roomId, newestFirst: messages, hasMore, hasNewer: false, lines: membershipLines });
      },
      markRead(roomId: string, messageId: string) {
        if (readRequested.current.get(roomId) === messageId) return;
        readRequested.current.set(roomId, messageId);
        api.endpoint('markRead')({ params: { roomId }, body: { messageId } }).then(
          (read) => dispatch({ type: 'read.marked', roomId, ...read }),
          () => readRequested.current.delete(roomId), // The unread count stays; the next message in the open room tries again.
        );
      },
      send: sendPending,
      async editMessage(messageId: string, text: string, confirmationToken?: string) {
        const { message } = await api.endpoint('editMessage')({ params: { messageId }, body: { text, ...(confirmationToken ? { confirmationToken } : {}) } });
        dispatch({ type: 'message.changed', message });
      },
      async forwardMessage(messageId: string, roomId: string, confirmationToken?: string) {
        const { message } = await api.endpoint('forwardMessage')({ params: { messageId }, body: { roomId, ...(confirmationToken ? { confirmationToken } : {}) } });
        return message;
      },
      async restrictMessage(messageId: string, restrictions: MessageRestrictions) {
        const { message } = await api.endpoint('restrictMessage')({ params: { messageId }, body: restrictions });
        dispatch({ type: 'message.changed', message });
      },
      addNotice: (notice: SendNotice) => dispatch({ type: 'notice.added', notice }),
      dismissNotice: (id: string) => dispatch({ type: 'notice.dismissed', id }),
      async deleteMessage(messageId: string) {
        await api.endpoint('deleteMessage')({ params: { messageId } });
      },
      async recallMessage(messageId: string, includeCopies = false) {
        const { message } = await api.endpoint('recallMessage')({ params: { messageId }, body: includeCopies ? { includeCopies } : {} });
        dispatch({ type: 'message.changed', message });
      },
      async setReaction(messageId: string, emoji: string, on: boolean) {
        const { message } = await api.endpoint(on ? 'addReaction' : 'removeReaction')({ params: { messageId, emoji } });
        dispatch({ type: 'message.changed', message });
      },
      async setPinned(messageId: string, pinned: boolean) {
        const { message } = await api.endpoint(pinned ? 'pinMessage' : 'unpinMessage')({ params: { messageId } });
        dispatch({ type: 'message.changed', message });
      },
      async loadThread(roomId: string, rootId: string) {
        dispatch({ type: 'thread.requested', rootId });
        const { messages, hasMore } = await api.endpoint('listMessages')({ params: { roomId }, query: { limit: 200, threadRootId: rootId } });
        dispatch({ type: 'thread.loaded', rootId, newestFirst: messages, hasMore });
      },
      loadReadPositions(roomId: string) {
        if (readPositionsAsked.current.has(roomId)) return;
        readPositionsAsked.current.add(roomId);
        api.endpoint('readPositions')({ params: { roomId } }).then(
          ({ positions }) => dispatch({ type: 'read-positions.loaded', roomId, positions }),
          () => readPositionsAsked.current.delete(roomId), // Read status stays hidden; the next opening asks again.
        );
      },
      async setMuted(roomId: string, muted: boolean) {
        const { room } = await api.endpoint('muteRoom')({ params: { roomId }, body: { muted } });
        dispatch({ type: 'room.upserted', room });
      },
      listen(listener: (event: LoggedEvent | EphemeralEvent) => void) {
        listeners.current.add(listener);
        return () => void listeners.current.delete(listener);
      },
      sendTyping: (roomId: string, threadRootId?: string) => stream.current?.sendTyping(roomId, threadRootId),
      setPresence: (status: 'online' | 'away') => stream.current?.setPresence(status),
      watchPresence: (userIds: string[]) => stream.current?.watchPresence(userIds),
    }),
    [reloadRooms, refreshRoom, sendPending, stream],
  );
  const chat = useMemo<Chat>(() => ({ state, connection, loadError, ...actions }), [state, connection, loadError, actions]);

  return <ChatContext.Provider value={chat}>{children}</ChatContext.Provider>;
}

export function useChat(): Chat {
  const chat = useContext(ChatContext);
  if (!chat) throw new Error('useChat needs a ChatProvider');
  return chat;
}

const ChatContext = createContext<Chat | undefined>(undefined);
