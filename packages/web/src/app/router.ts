import { useSyncExternalStore } from 'react';

export type Route = { page: 'home' } | { page: 'room'; roomId: string } | { page: 'admin' } | { page: 'mentions' };

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
  const room = /^\/rooms\/([^/]+)$/.exec(path);
  if (room?.[1]) return { page: 'room', roomId: decodeURIComponent(room[1]) };
  if (path === '/admin') return { page: 'admin' };
  if (path === '/mentions') return { page: 'mentions' };
  return { page: 'home' };
}

function pathOf(route: Route): string {
  switch (route.page) {
    case 'room':
      return `/rooms/${encodeURIComponent(route.roomId)}`;
    case 'admin':
      return '/admin';
    case 'mentions':
      return '/mentions';
    case 'home':
      return '/';
  }
}
