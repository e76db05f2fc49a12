import type { AuditEntry } from '@enclave/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describeError } from '../app/api';

const PAGE_SIZE = 50;

/** The audit log newest first, filtered by an action or a family of them (`dlp.`), with older pages on demand. */
export function useAuditPages(action: string) {
  const [entries, setEntries] = useState<AuditEntry[] | undefined>();
  const [chainIntact, setChainIntact] = useState<boolean | undefined>();
  const [hasOlder, setHasOlder] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const latestRequest = useRef(0);

  const load = useCallback(
    async (before: number | undefined) => {
      const request = ++latestRequest.current;
      try {
        const page = await api.endpoint('listAudit')({ query: { limit: PAGE_SIZE, ...(action ? { action } : {}), ...(before ? { before } : {}) } });
        if (request !== latestRequest.current) return;
        setEntries((current) => (before ? [...(current ?? []), ...page.entries] : page.entries));
        // The answer carries no cursor: a short page is the oldest one.
        setHasOlder(page.entries.length === PAGE_SIZE);
        // The newest reading wins: a chain that broke since the first page must show as broken.
        setChainIntact(page.chainIntact);
        setError(undefined);
      } catch (failure) {
        if (request === latestRequest.current) setError(describeError(failure));
      }
    },
    [action],
  );

  const reload = useCallback(() => void load(undefined), [load]);
  useEffect(reload, [reload]);

  return {
    entries,
    chainIntact,
    error,
    hasOlder,
    loadOlder: () => void load(entries?.at(-1)?.seq),
    reload,
  };
}
