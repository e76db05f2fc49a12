import type { AuditEntry, AuditQuery } from '@enclave/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describeError } from '../app/api';

const PAGE_SIZE = 50;

/** The audit log newest first, narrowed by `query` on the server, with older pages on demand and the names they mention. */
export function useAuditPages(query: AuditQuery) {
  const [entries, setEntries] = useState<AuditEntry[] | undefined>();
  const [names, setNames] = useState<Record<string, string>>({});
  const [chainIntact, setChainIntact] = useState<boolean | undefined>();
  const [hasOlder, setHasOlder] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const latestRequest = useRef(0);
  // The query object is rebuilt on every render; its text says whether it really changed.
  const queryKey = JSON.stringify(query);

  const load = useCallback(
    async (before: number | undefined) => {
      const request = ++latestRequest.current;
      try {
        const page = await api.endpoint('listAudit')({ query: { ...(JSON.parse(queryKey) as AuditQuery), limit: PAGE_SIZE, ...(before ? { before } : {}) } });
        if (request !== latestRequest.current) return;
        setEntries((current) => (before ? [...(current ?? []), ...page.entries] : page.entries));
        setNames((current) => (before ? { ...current, ...page.names } : page.names));
        // The answer carries no cursor: a short page is the oldest one.
        setHasOlder(page.entries.length === PAGE_SIZE);
        // The newest reading wins: a chain that broke since the first page must show as broken.
        setChainIntact(page.chainIntact);
        setError(undefined);
      } catch (failure) {
        if (request === latestRequest.current) setError(describeError(failure));
      }
    },
    [queryKey],
  );

  const reload = useCallback(() => void load(undefined), [load]);
  useEffect(reload, [reload]);

  return {
    entries,
    names,
    chainIntact,
    error,
    hasOlder,
    loadOlder: () => void load(entries?.at(-1)?.seq),
    reload,
  };
}
