import type { ClientTraceItemKind, TraceMark } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { issueTraceMark } from './issue-trace-mark';

/** The server gives a viewer the same code for the same view for ten minutes; asking this often moves it on. */
const TRACE_MARK_REFRESH_MS = 10 * 60_000;

/**
 * The viewer's trace code for a view while it is shown, asked again every TRACE_MARK_REFRESH_MS so the code names
 * a time close to any screenshot of it. Undefined while it loads, where the server puts no mark on the item, or
 * when `wanted` is false; the page shows nothing rather than a made-up code, since only issued codes resolve.
 */
export function useTraceMark(kind: ClientTraceItemKind, itemId: string, wanted: boolean): TraceMark | undefined {
  const [mark, setMark] = useState<TraceMark | undefined>();

  useEffect(() => {
    setMark(undefined);
    if (!wanted) return;
    let current = true;
    const issue = () => {
      issueTraceMark(kind, itemId)
        .then((issued) => {
          if (current) setMark(issued ?? undefined);
        })
        // A failed call leaves the last code in place (or none yet); the next refresh asks again.
        .catch(() => undefined);
    };
    issue();
    const timer = window.setInterval(issue, TRACE_MARK_REFRESH_MS);
    return () => {
      current = false;
      window.clearInterval(timer);
    };
  }, [kind, itemId, wanted]);

  return mark;
}
