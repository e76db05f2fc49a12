import type { RecordsQueryInput, RecordSummary } from '@enclave/protocol';
import { useCallback, useRef, useState } from 'react';
import { api, describeError } from '../app/api';

const PAGE_SIZE = 50;

/** The records a query finds, newest first, a page at a time; nothing is searched until the officer asks. */
export function useRecordsSearch() {
  const [records, setRecords] = useState<RecordSummary[] | undefined>();
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [query, setQuery] = useState<RecordsQueryInput | undefined>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  // A second search sent before the first answers: only the newest may fill the list.
  const latestRequest = useRef(0);

  const load = useCallback(async (asked: RecordsQueryInput, cursor: string | null) => {
    const request = ++latestRequest.current;
    setBusy(true);
    try {
      const page = await api.endpoint('searchRecords')({ body: { ...asked, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } });
      if (request !== latestRequest.current) return;
      setRecords((current) => (cursor ? [...(current ?? []), ...page.records] : page.records));
      setNextCursor(page.nextCursor);
      setError(undefined);
    } catch (failure) {
      if (request === latestRequest.current) setError(describeError(failure));
    } finally {
      if (request === latestRequest.current) setBusy(false);
    }
  }, []);

  return {
    records,
    busy,
    error,
    hasMore: nextCursor !== null,
    search: (asked: RecordsQueryInput) => {
      setQuery(asked);
      void load(asked, null);
    },
    loadMore: () => {
      if (query) void load(query, nextCursor);
    },
  };
}
