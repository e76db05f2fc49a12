import { useSyncExternalStore } from 'react';

export type Route =
  | { page: 'home' }
  | { page: 'room'; roomId: string; focus?: MessageFocus }
  | { page: 'admin' }
  | { page: 'compliance' }
  | { page: 'mentions' }
  | { page: 'scheduled' }
  | { page: 'search' }
  | { page: 'invite'; code: string };

/** A message to show in its context (a search result opened): the room scrolled to it and marked for a moment. */
export interface MessageFocus {
  messageId: string;
  /** Set for a thread reply: the room opens at this root, and the thread beside it at the reply. */
  threadRootId?: string;
}

/** The current route, kept in the address bar so that a reload or a shared link opens the same room. */
export function useRoute(): Route {
  const path = useSyncExternalStore(subscribe, () => location.pathname);
  return parseRoute(path);
}

export function navigate(route: Route): void {
  const path = pathOf(route);
  if (path === location.pathname) return;
  history.pushState(null, '', path);
  notify();
}

const listeners = new Set<() => void>();

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  window.addEventListener('popstate', listener);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('popstate', listener);
  };
}

function notify(): void {
  for (const listener of listeners) listener();
}

function parseRoute(path: string): Route {
  const room = /^\/rooms\/([^/]+)(?:(?:\/threads\/([^/]+))?\/messages\/([^/]+))?$/.exec(path);
  if (room?.[1]) return { page: 'room', roomId: decodeURIComponent(room[1]), ...focusOf(room[3], room[2]) };
  if (path === '/admin') return { page: 'admin' };
  if (path === '/compliance') return { page: 'compliance' };
  if (path === '/mentions') return { page: 'mentions' };
  if (path === '/scheduled') return { page: 'scheduled' };
  if (path === '/search') return { page: 'search' };
  const invite = /^\/invite\/([^/]+)$/.exec(path);
  if (invite?.[1]) return { page: 'invite', code: decodeURIComponent(invite[1]) };
  return { page: 'home' };
}

function focusOf(messageId: string | undefined, threadRootId: string | undefined): { focus?: MessageFocus } {
  if (messageId === undefined) return {};
  return { focus: { messageId: decodeURIComponent(messageId), ...(threadRootId === undefined ? {} : { threadRootId: decodeURIComponent(threadRootId) }) } };
}

/** The address of a route, for links that can also be opened in a new tab. */
export function pathOf(route: Route): string {
  switch (route.page) {
    case 'room': {
      const room = `/rooms/${encodeURIComponent(route.roomId)}`;
      if (!route.focus) return room;
      const thread = route.focus.threadRootId === undefined ? '' : `/threads/${encodeURIComponent(route.focus.threadRootId)}`;
      return `${room}${thread}/messages/${encodeURIComponent(route.focus.messageId)}`;
    }
    case 'admin':
      return '/admin';
    case 'compliance':
      return '/compliance';
    case 'mentions':
      return '/mentions';
    case 'scheduled':
      return '/scheduled';
    case 'search':
      return '/search';
    case 'invite':
      return `/invite/${encodeURIComponent(route.code)}`;
    case 'home':
      return '/';
  }
}

/**
 * Where a message opens in context (a search result, a mention): its room at it, or for a thread reply the room
 * at the root with the thread at the reply.
 */
export function messageRoute(message: { id: string; roomId: string; threadRootId: string | null }): Route {
  const focus = message.threadRootId ? { messageId: message.id, threadRootId: message.threadRootId } : { messageId: message.id };
  return { page: 'room', roomId: message.roomId, focus };
}
