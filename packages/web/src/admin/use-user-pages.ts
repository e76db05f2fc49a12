import type { User } from '@enclave/protocol';
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../app/api';

const PAGE_SIZE = 50;

/** The directory as the console shows it: searched on the server, loaded a page at a time. */
export function useUserPages(query: string) {
  const [users, setUsers] = useState<User[]>([]);
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();

  const load = useCallback(
    async (cursor: string | null) => {
      try {
        const page = await api.endpoint('listUsers')({ query: { limit: PAGE_SIZE, ...(query ? { q: query } : {}), ...(cursor ? { cursor } : {}) } });
        setUsers((current) => (cursor ? [...current, ...page.users] : page.users));
        setNextCursor(page.nextCursor);
        setError(undefined);
      } catch (failure) {
        setError(describeError(failure));
      }
    },
    [query],
  );

  const reload = useCallback(() => void load(null), [load]);
  useEffect(reload, [reload]);

  return {
    users,
    error,
    hasMore: nextCursor !== null,
    loadMore: () => void load(nextCursor),
    reload,
    replace: (user: User) => setUsers((current) => current.map((u) => (u.id === user.id ? user : u))),
  };
}
