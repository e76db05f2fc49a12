import type { HeldMessage, ReviewStatus } from '@enclave/protocol';
import { useCallback, useEffect, useRef, useState } from 'react';
import { api, describeError } from '../app/api';

const PAGE_SIZE = 50;

/** Held messages of one status, oldest first, a page at a time. */
export function useReviewPages(status: ReviewStatus) {
  const [reviews, setReviews] = useState<HeldMessage[] | undefined>();
  const [nextCursor, setNextCursor] = useState<string | null>(null);
  const [error, setError] = useState<string | undefined>();
  // Switching tabs quickly sends several requests; only the newest answer may fill the list.
  const latestRequest = useRef(0);

  const load = useCallback(
    async (cursor: string | null) => {
      const request = ++latestRequest.current;
      try {
        const page = await api.endpoint('listReviews')({ query: { status, limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) } });
        if (request !== latestRequest.current) return;
        setReviews((current) => (cursor ? [...(current ?? []), ...page.reviews] : page.reviews));
        setNextCursor(page.nextCursor);
        setError(undefined);
      } catch (failure) {
        if (request === latestRequest.current) setError(describeError(failure));
      }
    },
    [status],
  );

  const reload = useCallback(() => {
    setReviews(undefined);
    void load(null);
  }, [load]);
  useEffect(reload, [reload]);

  return {
    reviews,
    error,
    hasMore: nextCursor !== null,
    loadMore: () => void load(nextCursor),
    reload,
    /** A decided message leaves the pending list; its history tab shows it from the next load. */
    remove: (reviewId: string) => setReviews((current) => current?.filter((review) => review.id !== reviewId)),
  };
}
