import type { EphemeralEvent, LoggedEvent } from '@enclave/protocol';
import type { EnclaveStream, StreamState } from '@enclave/sdk';
import { useEffect, useRef, useState, type RefObject } from 'react';
import { api } from '../app/api';

/** The stream's own states, plus `outdated`: this page and the server speak protocols that cannot talk. */
export type ConnectionState = StreamState | 'outdated';

export interface EventStream {
  stream: RefObject<EnclaveStream | undefined>;
  connection: ConnectionState;
}

/**
 * Keeps one stream open while the signed-in part of the app is mounted. The handlers are read through refs so
 * that a re-render never reconnects (a reconnect would be harmless thanks to resume, but wasteful).
 */
export function useEventStream(
  onEvent: (event: LoggedEvent) => void,
  onUnauthenticated: () => void,
  onEphemeral: (event: EphemeralEvent) => void,
): EventStream {
  const stream = useRef<EnclaveStream | undefined>(undefined);
  const [connection, setConnection] = useState<ConnectionState>('connecting');
  const handlers = useRef({ onEvent, onUnauthenticated, onEphemeral });
  useEffect(() => {
    handlers.current = { onEvent, onUnauthenticated, onEphemeral };
  });

  useEffect(() => {
    const opened = api.stream({
      socketFactory: (url) => new WebSocket(url),
      onEvent: (event) => handlers.current.onEvent(event),
      onEphemeral: (event) => handlers.current.onEphemeral(event),
      onStateChange: setConnection,
      onUnauthenticated: () => handlers.current.onUnauthenticated(),
      // Reconnecting cannot help; a reload fetches the page the server now serves.
      onIncompatible: () => setConnection('outdated'),
    });
    stream.current = opened;
    return () => {
      opened.close();
      stream.current = undefined;
    };
  }, []);

  return { stream, connection };
}
