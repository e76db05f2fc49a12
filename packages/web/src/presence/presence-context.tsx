import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { useChat } from '../chat/chat-context';
import { useMe } from '../session/session-context';
import { expireTyping, startTyping, stopTyping, typingPlace, typistsIn, type TypingState } from './typing-state';

export type PresenceStatus = 'online' | 'away' | 'offline';

export interface Presence {
  /** Offline until the server says otherwise (it answers a watch with the current status). */
  statusOf(userId: string): PresenceStatus;
  /** The people typing in a room (or a thread of it), me excluded. */
  typists(roomId: string, threadRootId?: string): string[];
  /** The open room's members, watched on top of the DM peers; the server caps a watch at 500 people. */
  setRoomMembers(userIds: string[]): void;
}

/** No keyboard or pointer activity for this long makes me "away". */
export const IDLE_MS = 5 * 60 * 1000;
/** A hidden tab for this long makes me "away" too. */
export const HIDDEN_MS = 60 * 1000;
const ROOM_MEMBERS_WATCHED = 200;
const WATCH_MAX = 500;

export function PresenceProvider({ children }: { children: ReactNode }) {
  const me = useMe();
  const { state, listen, watchPresence, setPresence, connection } = useChat();
  const [statuses, setStatuses] = useState<Record<string, PresenceStatus>>({});
  const [typing, setTyping] = useState<TypingState>({});
  const [roomMembers, setRoomMembers] = useState<string[]>([]);

  useEffect(
    () =>
      listen((event) => {
        if (event.type === 'presence') setStatuses((current) => ({ ...current, [event.userId]: event.status }));
        else if (event.type === 'typing') setTyping((current) => startTyping(current, typingPlace(event.roomId, event.threadRootId), event.userId, Date.now()));
        else if (event.type === 'message.created') {
          const { roomId, threadRootId, senderId } = event.message;
          setTyping((current) => stopTyping(current, typingPlace(roomId, threadRootId), senderId));
        }
      }),
    [listen],
  );

  // One timer for the soonest entry to run out, so that "is typing" disappears on time without polling.
  useEffect(() => {
    const soonest = Math.min(...Object.values(typing).flatMap((typists) => Object.values(typists)));
    if (!Number.isFinite(soonest)) return;
    const timer = setTimeout(() => setTyping((current) => expireTyping(current, Date.now())), Math.max(0, soonest - Date.now()) + 10);
    return () => clearTimeout(timer);
  }, [typing]);

  const dmPeers = useMemo(() => (state.rooms ?? []).flatMap((room) => (room.kind === 'dm' ? room.dmMemberIds : [])), [state.rooms]);
  const watched = useMemo(
    () => [...new Set([...dmPeers, ...roomMembers.slice(0, ROOM_MEMBERS_WATCHED)])].filter((id) => id !== me.id).slice(0, WATCH_MAX).sort(),
    [dmPeers, roomMembers, me.id],
  );
  const watchedKey = watched.join(',');
  const live = connection === 'live';
  useEffect(() => {
    // The stream keeps the list across reconnects; it only needs telling when the list changes or first goes live.
    if (live) watchPresence(watchedKey === '' ? [] : watchedKey.split(','));
  }, [watchedKey, live, watchPresence]);

  useAwayReporter(setPresence);

  const typists = useCallback((roomId: string, threadRootId?: string) => typistsIn(typing, typingPlace(roomId, threadRootId), me.id, Date.now()), [typing, me.id]);
  const presence = useMemo<Presence>(
    () => ({ statusOf: (userId) => statuses[userId] ?? 'offline', typists, setRoomMembers }),
    [statuses, typists],
  );
  return <PresenceContext.Provider value={presence}>{children}</PresenceContext.Provider>;
}

export function usePresence(): Presence {
  const presence = useContext(PresenceContext);
  if (!presence) throw new Error('usePresence needs a PresenceProvider');
  return presence;
}

const PresenceContext = createContext<Presence | undefined>(undefined);

/** Tells the server "away" after a while without keyboard or pointer use, or with the tab hidden, and "online" on return. */
function useAwayReporter(setPresence: (status: 'online' | 'away') => void): void {
  const away = useRef(false);
  useEffect(() => {
    let idleTimer: ReturnType<typeof setTimeout> | undefined;
    let hiddenTimer: ReturnType<typeof setTimeout> | undefined;
    const goAway = () => {
      if (away.current) return;
      away.current = true;
      setPresence('away');
    };
    const active = () => {
      clearTimeout(idleTimer);
      idleTimer = setTimeout(goAway, IDLE_MS);
      if (away.current && document.visibilityState === 'visible') {
        away.current = false;
        setPresence('online');
      }
    };
    const visibility = () => {
      clearTimeout(hiddenTimer);
      if (document.visibilityState === 'hidden') hiddenTimer = setTimeout(goAway, HIDDEN_MS);
      else active();
    };
    const activity = ['pointerdown', 'pointermove', 'keydown', 'wheel', 'focus'] as const;
    for (const name of activity) window.addEventListener(name, active, { passive: true });
    document.addEventListener('visibilitychange', visibility);
    active();
    return () => {
      clearTimeout(idleTimer);
      clearTimeout(hiddenTimer);
      for (const name of activity) window.removeEventListener(name, active);
      document.removeEventListener('visibilitychange', visibility);
    };
  }, [setPresence]);
}
