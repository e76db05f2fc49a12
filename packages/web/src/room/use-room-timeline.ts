import { useCallback, useEffect, useState } from 'react';
import { describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import type { Timeline } from '../chat/chat-state';

export interface RoomTimeline {
  timeline: Timeline | undefined;
  error: string | undefined;
  loadingOlder: boolean;
  loadOlder: () => void;
}

/** The open room's messages: the newest page on first open, older pages on demand. */
export function useRoomTimeline(roomId: string): RoomTimeline {
  const { state, loadHistory } = useChat();
  const timeline = state.timelines[roomId];
  const loaded = timeline?.loaded ?? false;
  const [error, setError] = useState<string | undefined>();
  const [loadingOlder, setLoadingOlder] = useState(false);

  useEffect(() => {
    if (loaded) return;
    loadHistory(roomId).catch((failure: unknown) => setError(describeError(failure)));
  }, [roomId, loaded, loadHistory]);

  const oldestId = timeline?.messages[0]?.id;
  const canLoadOlder = loaded && (timeline?.hasMore ?? false) && oldestId !== undefined;
  const loadOlder = useCallback(() => {
    if (!canLoadOlder || loadingOlder) return;
    setLoadingOlder(true);
    loadHistory(roomId, oldestId)
      .catch((failure: unknown) => setError(describeError(failure)))
      .finally(() => setLoadingOlder(false));
  }, [canLoadOlder, loadingOlder, loadHistory, roomId, oldestId]);

  return { timeline, error, loadingOlder, loadOlder };
}
