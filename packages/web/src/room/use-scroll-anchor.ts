import type { Message } from '@enclave/protocol';
import { useCallback, useLayoutEffect, useRef } from 'react';

interface ScrollAnchorInput {
  messages: Message[];
  pendingCount: number;
  myId: string;
  hasMore: boolean;
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** The messages stop short of the newest one (a stretch of the past). */
  hasNewer: boolean;
  loadingNewer: boolean;
  onLoadNewer: () => void;
  /** A message to bring to the middle once it is shown (a search result opened in context); its element has FOCUSED_CLASS. */
  focusId: string | undefined;
}

/** The class of the message element `focusId` names. */
export const FOCUSED_CLASS = 'message--focused';

/** How close to an edge (px) counts as being at it. */
const EDGE = 120;

/**
 * Keeps the message list where the reader expects it: at the bottom on open and when new messages arrive while
 * they are reading the newest ones (or sent one themselves), and steady on the message they were reading when an
 * older page is put above it or a newer one below a stretch of the past. Opened at a message, the list centres it.
 * Reaching the top loads the next older page; reaching the bottom of a stretch of the past, the next newer one.
 */
export function useScrollAnchor({ messages, pendingCount, myId, hasMore, loadingOlder, onLoadOlder, hasNewer, loadingNewer, onLoadNewer, focusId }: ScrollAnchorInput) {
  const ref = useRef<HTMLDivElement>(null);
  const before = useRef({
    firstId: undefined as string | undefined,
    lastId: undefined as string | undefined,
    pendingCount: 0,
    hasNewer: false,
    scrollTop: 0,
    scrollHeight: 0,
    atBottom: true,
  });
  const focused = useRef<string | undefined>(undefined);

  const maybeLoad = useCallback(() => {
    const list = ref.current;
    if (!list) return;
    if (hasMore && !loadingOlder && list.scrollTop < EDGE) onLoadOlder();
    if (hasNewer && !loadingNewer && distanceToBottom(list) < EDGE) onLoadNewer();
  }, [hasMore, loadingOlder, onLoadOlder, hasNewer, loadingNewer, onLoadNewer]);

  useLayoutEffect(() => {
    const list = ref.current;
    if (!list) return;
    const last = messages.at(-1);
    const firstId = messages[0]?.id;
    const previous = before.current;
    const prepended = previous.firstId !== undefined && firstId !== previous.firstId && last?.id === previous.lastId;
    // Both ends changed: a new stretch (the first page, a jump, back to the newest) rather than a page added to one.
    const replaced = firstId !== previous.firstId && last?.id !== previous.lastId;
    const appended = last?.id !== previous.lastId || pendingCount > previous.pendingCount;
    if (focusId === undefined) focused.current = undefined;
    const target = focusId !== undefined && focused.current !== focusId ? list.querySelector(`.${FOCUSED_CLASS}`) : null;

    if (target) {
      target.scrollIntoView({ block: 'center' });
      focused.current = focusId;
    } else if (prepended) {
      list.scrollTop = previous.scrollTop + (list.scrollHeight - previous.scrollHeight);
    } else if (replaced) {
      list.scrollTop = list.scrollHeight;
    } else if (appended && !previous.hasNewer && (previous.atBottom || last?.senderId === myId || pendingCount > previous.pendingCount)) {
      // A newer page below a stretch of the past leaves the reader where they were; live messages pull to the bottom.
      list.scrollTop = list.scrollHeight;
    }
    before.current = { firstId, lastId: last?.id, pendingCount, hasNewer, ...measure(list) };
    // A page too short to scroll would never reach an edge by scrolling, so fetch the next one right away.
    maybeLoad();
  }, [messages, pendingCount, myId, hasNewer, focusId, maybeLoad]);

  const onScroll = useCallback(() => {
    const list = ref.current;
    if (!list) return;
    before.current = { ...before.current, ...measure(list) };
    maybeLoad();
  }, [maybeLoad]);

  return { ref, onScroll };
}

function distanceToBottom(list: HTMLElement): number {
  return list.scrollHeight - list.scrollTop - list.clientHeight;
}

function measure(list: HTMLElement) {
  return { scrollTop: list.scrollTop, scrollHeight: list.scrollHeight, atBottom: distanceToBottom(list) < EDGE };
}
