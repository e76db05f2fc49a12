import type { LoggedEvent, Room, RoomSummary } from '@enclave/protocol';
import { EnclaveApiError, type StreamState } from '@enclave/sdk';
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { api, describeError } from '../app/api';
import { usePeople } from '../people/people-context';
import { useMe, useSession } from '../session/session-context';
import { chatReducer, initialChatState, type ChatState, type PendingMessage } from './chat-state';
import { newClientId } from './client-id';
import { useEventStream } from './use-event-stream';

export interface Chat {
  state: ChatState;
  connection: StreamState;
  /** The server's message when the room list could not be loaded. */
  loadError: string | undefined;
  reloadRooms(): void;
  openRoom(roomId: string | undefined): void;
  /** Loads the newest page, or with `before` the page older than that message. */
  loadHistory(roomId: string, before?: string): Promise<void>;
  markRead(roomId: string, messageId: string): void;
  send(roomId: string, text: string): void;
  retry(message: PendingMessage): void;
  /** Fetches one of my rooms and puts it in the list, after creating or joining it or being added to it. */
  refreshRoom(roomId: string): Promise<RoomSummary>;
  roomChanged(room: Room): void;
}

const HISTORY_PAGE = 50;

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

  const reloadRooms = useCallback(() => {
    setLoadError(undefined);
    api.call('listRooms').then(
      ({ rooms, position }) => dispatch({ type: 'rooms.loaded', rooms, position }),
      (error: unknown) => setLoadError(describeError(error)),
    );
  }, []);

  const refreshRoom = useCallback(async (roomId: string) => {
    const { room } = await api.call('getRoom', { params: { roomId } });
    dispatch({ type: 'room.upserted', room });
    return room;
  }, []);

  const followEvent = useCallback((event: LoggedEvent) => {
    dispatch({ type: 'event', event });
    const named = event.type === 'message.created' ? [event.message.senderId] : event.type === 'room.member_added' ? event.userIds : [];
    if (named.some((id) => !directory.current.byId.has(id))) directory.current.refresh();
  }, []);

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

  const { stream, connection } = useEventStream(followEvent, session.expire);

  // The room list is fetched only once the stream is live, so that any change after the snapshot arrives as an event
  // and no room I am added to meanwhile can slip between the two.
  const roomsRequested = useRef(false);
  useEffect(() => {
    if (connection !== 'live' || roomsRequested.current) return;
    roomsRequested.current = true;
    reloadRooms();
  }, [connection, reloadRooms]);

  const sendPending = useCallback(
    (message: PendingMessage) => {
      dispatch({ type: 'send.started', message: { ...message, error: undefined } });
      const open = stream.current;
      if (!open) {
        dispatch({ type: 'send.failed', roomId: message.roomId, clientId: message.clientId, error: describeError(undefined) });
        return;
      }
      open.sendMessage({ roomId: message.roomId, text: message.text, clientId: message.clientId }).then(
        (confirmed) => dispatch({ type: 'send.confirmed', message: confirmed }),
        (error: unknown) => dispatch({ type: 'send.failed', roomId: message.roomId, clientId: message.clientId, error: describeError(error) }),
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
        dispatch({ type: 'history.requested', roomId });
        const { messages, hasMore } = await api.call('listMessages', { params: { roomId }, query: { limit: HISTORY_PAGE, before } });
        dispatch({ type: 'history.loaded', roomId, newestFirst: messages, hasMore });
      },
      markRead(roomId: string, messageId: string) {
        if (readRequested.current.get(roomId) === messageId) return;
        readRequested.current.set(roomId, messageId);
        api.call('markRead', { params: { roomId }, body: { messageId } }).then(
          (read) => dispatch({ type: 'read.marked', roomId, ...read }),
          () => readRequested.current.delete(roomId), // The unread count stays; the next message in the open room tries again.
        );
      },
      send: (roomId: string, text: string) => sendPending({ clientId: newClientId(), roomId, text, createdAt: new Date().toISOString() }),
      retry: sendPending,
    }),
    [reloadRooms, refreshRoom, sendPending],
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
