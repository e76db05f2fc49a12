import type { Message } from '@enclave/protocol';
import { useCallback, useLayoutEffect, useRef } from 'react';

interface ScrollAnchorInput {
  messages: Message[];
  pendingCount: number;
  myId: string;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
}

/** How close to an edge (px) counts as being at it. */
const EDGE = 120;

/**
 * Keeps the message list where the reader expects it: at the bottom on open and when new messages arrive while
 * they are reading the newest ones (or sent one themselves), and steady on the message they were reading when an
 * older page is put above it. Reaching the top loads the next older page.
 */
export function useScrollAnchor({ messages, pendingCount, myId, hasMore, loadingOlder, onLoadOlder }: ScrollAnchorInput) {
  const ref = useRef<HTMLDivElement>(null);
  const before = useRef({ firstId: undefined as string | undefined, lastId: undefined as string | undefined, pendingCount: 0, scrollTop: 0, scrollHeight: 0, atBottom: true });

  const maybeLoadOlder = useCallback(() => {
    const list = ref.current;
    if (list && hasMore && !loadingOlder && list.scrollTop < EDGE) onLoadOlder();
  }, [hasMore, loadingOlder, onLoadOlder]);

  useLayoutEffect(() => {
    const list = ref.current;
    if (!list) return;
    const last = messages.at(-1);
    const firstId = messages[0]?.id;
    const previous = before.current;
    const prepended = previous.firstId !== undefined && firstId !== previous.firstId && last?.id === previous.lastId;
    const appended = last?.id !== previous.lastId || pendingCount > previous.pendingCount;

    if (prepended) {
      list.scrollTop = previous.scrollTop + (list.scrollHeight - previous.scrollHeight);
    } else if (appended && (previous.atBottom || last?.senderId === myId || pendingCount > previous.pendingCount)) {
      list.scrollTop = list.scrollHeight;
    }
    before.current = { firstId, lastId: last?.id, pendingCount, ...measure(list) };
    // A first page too short to scroll would never reach the top by scrolling, so fetch the next one right away.
    maybeLoadOlder();
  }, [messages, pendingCount, myId, maybeLoadOlder]);

  const onScroll = useCallback(() => {
    const list = ref.current;
    if (!list) return;
    before.current = { ...before.current, ...measure(list) };
    maybeLoadOlder();
  }, [maybeLoadOlder]);

  return { ref, onScroll };
}

function measure(list: HTMLElement) {
  return {
    scrollTop: list.scrollTop,
    scrollHeight: list.scrollHeight,
    atBottom: list.scrollHeight - list.scrollTop - list.clientHeight < EDGE,
  };
}
