import { useCallback, useEffect, useRef, useState } from 'react';
import { describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import type { Timeline } from '../chat/timeline-window';

export interface RoomTimeline {
  timeline: Timeline | undefined;
  error: string | undefined;
  loadingOlder: boolean;
  loadOlder: () => void;
  /** The timeline stops short of the newest message: it shows a stretch of the past. */
  hasNewer: boolean;
  loadingNewer: boolean;
  loadNewer: () => void;
  /** Leaves a stretch of the past for the newest messages. */
  jumpToNewest: () => void;
}

/**
 * The open room's messages: the newest page on first open, older pages on demand. Opened at a message (`anchorId`,
 * e.g. a search result), the page around it instead, then newer pages on demand until the stretch reaches the
 * newest messages again.
 */
export function useRoomTimeline(roomId: string, anchorId: string | undefined): RoomTimeline {
  const { state, loadHistory, loadAround, loadNewer: fetchNewer, loadLatest } = useChat();
  const timeline = state.timelines[roomId];
  const loaded = timeline?.loaded ?? false;
  const hasNewer = timeline?.heldLive !== undefined;
  const [error, setError] = useState<string | undefined>();
  const [loadingOlder, setLoadingOlder] = useState(false);
  const [loadingNewer, setLoadingNewer] = useState(false);
  const fail = useCallback((failure: unknown) => setError(describeError(failure)), []);

  // A jump happens once per anchor: scrolling away from it afterwards, or back to the newest, must not jump again.
  const anchorShown = anchorId !== undefined && (timeline?.messages.some((message) => message.id === anchorId) ?? false);
  const jumpedTo = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (anchorId === undefined || jumpedTo.current === anchorId) {
      jumpedTo.current = anchorId;
      return;
    }
    jumpedTo.current = anchorId;
    if (!anchorShown) loadAround(roomId, anchorId).catch(fail);
  }, [roomId, anchorId, anchorShown, loadAround, fail]);

  // Without an anchor the room opens at its newest messages, also when an earlier jump left a stretch of the past.
  useEffect(() => {
    if (anchorId !== undefined) return;
    if (!loaded) loadHistory(roomId).catch(fail);
    else if (hasNewer) loadLatest(roomId).catch(fail);
  }, [roomId, anchorId, loaded, hasNewer, loadHistory, loadLatest, fail]);

  const oldestId = timeline?.messages[0]?.id;
  const canLoadOlder = loaded && (timeline?.hasMore ?? false) && oldestId !== undefined;
  const loadOlder = useCallback(() => {
    if (!canLoadOlder || loadingOlder) return;
    setLoadingOlder(true);
    loadHistory(roomId, oldestId)
      .catch(fail)
      .finally(() => setLoadingOlder(false));
  }, [canLoadOlder, loadingOlder, loadHistory, roomId, oldestId, fail]);

  const newestId = timeline?.messages.at(-1)?.id;
  const loadNewer = useCallback(() => {
    if (!hasNewer || loadingNewer || newestId === undefined) return;
    setLoadingNewer(true);
    fetchNewer(roomId, newestId)
      .catch(fail)
      .finally(() => setLoadingNewer(false));
  }, [hasNewer, loadingNewer, fetchNewer, roomId, newestId, fail]);

  const jumpToNewest = useCallback(() => {
    loadLatest(roomId).catch(fail);
  }, [loadLatest, roomId, fail]);

  // What I send appears at the newest end, so sending from a stretch of the past takes the room back there.
  const sending = (state.pending[roomId] ?? []).filter((message) => !message.threadRootId || message.alsoSendToRoom).length;
  const sentBefore = useRef(sending);
  useEffect(() => {
    if (hasNewer && sending > sentBefore.current) jumpToNewest();
    sentBefore.current = sending;
  }, [hasNewer, sending, jumpToNewest]);

  return { timeline, error, loadingOlder, loadOlder, hasNewer, loadingNewer, loadNewer, jumpToNewest };
}
