import type { User } from '@enclave/protocol';
import { createContext, useCallback, useContext, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { api } from '../app/api';

export interface People {
  /** Everyone in the organisation, sorted by display name. */
  list: User[];
  byId: ReadonlyMap<string, User>;
  /** Reloads the directory, e.g. when an event names someone we have not seen yet. */
  refresh(): void;
  /** Puts the server's fresh copy of one person in place, after changing them. */
  replace(user: User): void;
}

/** The directory's largest page; organisations beyond it need search in the pickers. */
const DIRECTORY_LIMIT = 500;

export function PeopleProvider({ children }: { children: ReactNode }) {
  const [list, setList] = useState<User[]>([]);
  // A refresh asked for while one is running may concern someone the running one already missed: run once more.
  const load = useRef<'idle' | 'loading' | 'loading-stale'>('idle');

  const refresh = useCallback(() => {
    if (load.current !== 'idle') {
      load.current = 'loading-stale';
      return;
    }
    load.current = 'loading';
    api
      .endpoint('listUsers')({ query: { limit: DIRECTORY_LIMIT } })
      .then(({ users }) => setList([...users].sort((a, b) => a.displayName.localeCompare(b.displayName))))
      .catch(() => undefined) // Names fall back to "someone" until the next refresh succeeds.
      .finally(() => {
        const again = load.current === 'loading-stale';
        load.current = 'idle';
        if (again) refresh();
      });
  }, []);

  useEffect(refresh, [refresh]);

  const replace = useCallback((user: User) => setList((current) => current.map((u) => (u.id === user.id ? user : u))), []);
  const people = useMemo<People>(() => ({ list, byId: new Map(list.map((user) => [user.id, user])), refresh, replace }), [list, refresh, replace]);
  return <PeopleContext.Provider value={people}>{children}</PeopleContext.Provider>;
}

export function usePeople(): People {
  const people = useContext(PeopleContext);
  if (!people) throw new Error('usePeople needs a PeopleProvider');
  return people;
}

const PeopleContext = createContext<People | undefined>(undefined);
