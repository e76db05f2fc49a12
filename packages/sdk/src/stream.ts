import {
  errorMessages,
  pickLocale,
  PROTOCOL_VERSION,
  ServerFrame,
  STREAM_MAX_FRAME_BYTES,
  streamCloseCodes,
  StreamIncompatibility,
  type ClientFrame,
  type EphemeralEvent,
  type ErrorBody,
  type LoggedEvent,
  type Message,
  type MessageSendFrame,
} from '@enclave/protocol';
import { EnclaveApiError } from './errors';

/**
 * The part of a WebSocket the stream uses: the browser's WebSocket and the `ws` package both fit. Handler
 * parameters are `never` so that either one's own event types are accepted; the stream reads only `data` and
 * `code`.
 */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onmessage: ((event: never) => void) | null;
  onclose: ((event: never) => void) | null;
  onerror: ((event: never) => void) | null;
}
export type SocketFactory = (url: string) => SocketLike;

export type StreamState = 'connecting' | 'live' | 'reconnecting' | 'closed';

/**
 * Close codes that say this client sent something no correct client sends (a frame too large, not UTF-8, not text,
 * broken, or far too many): a bug here, not a network failure, so reconnecting must not repeat it in a tight loop.
 */
const CLIENT_FAULT_CODES: ReadonlySet<number> = new Set([
  streamCloseCodes.badRequest,
  streamCloseCodes.protocolError,
  streamCloseCodes.invalidPayload,
  streamCloseCodes.flooding,
  streamCloseCodes.messageTooBig,
]);

export interface StreamOptions {
  url: string;
  token?: string;
  socketFactory: SocketFactory;
  /** Error messages on the stream come back in this language; asked afresh at every (re)connect. */
  locale?: () => string | undefined;
  /** Resume after this position (from an earlier session); without it the stream starts at the current head. */
  after?: number;
  /** Called for every logged event exactly once, in position order, across reconnects. */
  onEvent?: (event: LoggedEvent) => void;
  /** Presence and typing: live only, never replayed after a reconnect. */
  onEphemeral?: (event: EphemeralEvent) => void;
  onStateChange?: (state: StreamState) => void;
  /** Called when the server refuses the credentials; the stream stops reconnecting. */
  onUnauthenticated?: (error: ErrorBody | undefined) => void;
  /**
   * Called when the server closed the stream over something this client sent (see `streamCloseCodes`), a bug worth
   * reporting; the stream reconnects with a backoff that a successful reconnect does not reset.
   */
  onClientFault?: (closeCode: number) => void;
  /**
   * Called when this client and the server cannot talk (an older or newer protocol, a frame this SDK cannot read);
   * the stream stops, since only a newer client (a reload) helps.
   */
  onIncompatible?: (reason: StreamIncompatibility) => void;
  /** Reconnect delays grow from this (ms), doubling up to maxDelay, with jitter. */
  minDelay?: number;
  maxDelay?: number;
}

interface PendingSend {
  frame: ClientFrame;
  resolve: (message: Message) => void;
  reject: (error: Error) => void;
}

/**
 * One live connection to the server's event stream that survives drops: it reconnects with backoff, resumes from
 * the last position it delivered, drops anything it has already delivered, and resends unacknowledged sends
 * (their client ids make that safe).
 */
export class EnclaveStream {
  private socket: SocketLike | undefined;
  private lastPosition: number | undefined;
  private state: StreamState = 'connecting';
  private attempt = 0;
  /** Closes caused by this client's own frames; unlike `attempt`, not reset by a successful reconnect. */
  private faults = 0;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private readonly pending = new Map<string, PendingSend>();
  private syncedWaiters: (() => void)[] = [];
  private presence: { status: 'online' | 'away'; watched: string[] } = { status: 'online', watched: [] };

  constructor(private readonly options: StreamOptions) {
    this.lastPosition = options.after;
    this.connect();
  }

  /** The last position delivered: store it to resume later without a gap. */
  get position(): number | undefined {
    return this.lastPosition;
  }

  get currentState(): StreamState {
    return this.state;
  }

  /** Resolves once the stream has caught up and is live. */
  whenLive(): Promise<void> {
    if (this.state === 'live') return Promise.resolve();
    return new Promise((resolve) => this.syncedWaiters.push(resolve));
  }

  /** Sends a message over the stream; resolves with the stored message when the server acknowledges it. */
  sendMessage(input: Omit<MessageSendFrame, 'type'>): Promise<Message> {
    const frame: ClientFrame = { type: 'message.send', ...input };
    // The server closes the stream over a frame past its limit, and the send would be repeated after every reconnect.
    if (new TextEncoder().encode(JSON.stringify(frame)).length > STREAM_MAX_FRAME_BYTES) {
      const locale = pickLocale(this.options.locale?.());
      return Promise.reject(new EnclaveApiError('VALIDATION_FAILED', errorMessages[locale].VALIDATION_FAILED, 0, { maxFrameBytes: STREAM_MAX_FRAME_BYTES }));
    }
    return new Promise((resolve, reject) => {
      this.pending.set(input.clientId, { frame, resolve, reject });
      if (this.state === 'live') this.socket?.send(JSON.stringify(frame));
    });
  }

  /** Says that I am typing in a room (or a thread); call it at most every few seconds while typing. */
  sendTyping(roomId: string, threadRootId?: string): void {
    this.sendIfLive({ type: 'typing', roomId, ...(threadRootId ? { threadRootId } : {}) });
  }

  /** Whether I am at the keyboard; kept across reconnects. */
  setPresence(status: 'online' | 'away'): void {
    this.presence.status = status;
    this.sendIfLive({ type: 'presence.set', status });
  }

  /** Whose presence to hear about (replacing the earlier list); kept across reconnects. */
  watchPresence(userIds: string[]): void {
    this.presence.watched = [...new Set(userIds)];
    this.sendIfLive({ type: 'presence.watch', userIds: this.presence.watched });
  }

  /** Drops the underlying connection as a network failure would; the stream reconnects by itself. */
  dropConnection(): void {
    this.socket?.close(4000, 'dropped by client');
  }

  close(): void {
    this.setState('closed');
    clearTimeout(this.retryTimer);
    this.socket?.close(1000, 'client closed');
    for (const send of this.pending.values()) send.reject(new Error('stream closed'));
    this.pending.clear();
  }

  private connect(): void {
    const params = new URLSearchParams();
    if (this.options.token) params.set('token', this.options.token);
    const locale = this.options.locale?.();
    if (locale) params.set('locale', locale);
    if (this.lastPosition !== undefined) params.set('after', String(this.lastPosition));
    params.set('protocolVersion', String(PROTOCOL_VERSION));
    const query = params.size > 0 ? `?${params}` : '';
    const socket = this.options.socketFactory(`${this.options.url}${query}`);
    this.socket = socket;
    // Frames already on their way when the stream was closed (or replaced) must not bring it back to life.
    socket.onmessage = (event: { data: unknown }) => {
      if (socket === this.socket && this.state !== 'closed') this.receive(String(event.data));
    };
    socket.onclose = (event: { code: number; reason?: string }) => this.closed(socket, event.code, event.reason ?? '');
    socket.onerror = () => undefined; // A close event always follows; reconnecting happens there.
  }

  private receive(data: string): void {
    const parsed = ServerFrame.safeParse(parseJson(data));
    if (!parsed.success) return this.incompatible('invalid_frame');
    const frame = parsed.data;
    switch (frame.type) {
      case 'hello':
        if (frame.protocolVersion < PROTOCOL_VERSION) return this.incompatible('server_too_old');
        this.lastPosition ??= frame.position;
        return;
      case 'synced':
        this.attempt = 0;
        this.setState('live');
        for (const send of this.pending.values()) this.socket?.send(JSON.stringify(send.frame));
        if (this.presence.status === 'away') this.sendIfLive({ type: 'presence.set', status: 'away' });
        if (this.presence.watched.length > 0) this.sendIfLive({ type: 'presence.watch', userIds: this.presence.watched });
        for (const resolve of this.syncedWaiters.splice(0)) resolve();
        return;
      case 'message.ack':
        this.pending.get(frame.clientId)?.resolve(frame.message);
        this.pending.delete(frame.clientId);
        return;
      case 'error': {
        const send = frame.clientId === undefined ? undefined : this.pending.get(frame.clientId);
        if (send && frame.clientId !== undefined) {
          this.pending.delete(frame.clientId);
          send.reject(new EnclaveApiError(frame.error.code, frame.error.message, 0, frame.error.data));
        }
        return;
      }
      case 'presence':
      case 'typing':
        this.options.onEphemeral?.(frame);
        return;
      default:
        if (this.lastPosition !== undefined && frame.position <= this.lastPosition) return;
        this.lastPosition = frame.position;
        this.options.onEvent?.(frame);
    }
  }

  private sendIfLive(frame: ClientFrame): void {
    if (this.state === 'live') this.socket?.send(JSON.stringify(frame));
  }

  /** Stops for good: reconnecting to the same server would meet the same disagreement. */
  private incompatible(reason: StreamIncompatibility): void {
    this.close();
    this.options.onIncompatible?.(reason);
  }

  private closed(socket: SocketLike, code: number, reason: string): void {
    if (socket !== this.socket || this.state === 'closed') return;
    if (code === streamCloseCodes.incompatibleProtocol) {
      const parsed = StreamIncompatibility.safeParse(reason);
      return this.incompatible(parsed.success ? parsed.data : 'client_too_new');
    }
    if (code === streamCloseCodes.unauthenticated || code === streamCloseCodes.sessionRevoked) {
      this.setState('closed');
      for (const send of this.pending.values()) send.reject(new EnclaveApiError('UNAUTHENTICATED', 'signed out', 401));
      this.pending.clear();
      this.options.onUnauthenticated?.(undefined);
      return;
    }
    this.setState('reconnecting');
    const min = this.options.minDelay ?? 250;
    const max = this.options.maxDelay ?? 15_000;
    let step: number;
    if (code === streamCloseCodes.tooManyConnections) {
      // Other tabs or devices hold every place; one frees up only when a person closes something, so retry slowly.
      step = Infinity;
    } else if (CLIENT_FAULT_CODES.has(code)) {
      this.faults += 1;
      this.options.onClientFault?.(code);
      step = this.faults;
    } else {
      step = this.attempt;
    }
    this.attempt += 1;
    const delay = Math.min(max, min * 2 ** step) * (0.5 + Math.random() / 2);
    this.retryTimer = setTimeout(() => this.connect(), delay);
  }

  private setState(state: StreamState): void {
    if (this.state === state) return;
    this.state = state;
    this.options.onStateChange?.(state);
  }
}

function parseJson(data: string): unknown {
  try {
    return JSON.parse(data);
  } catch {
    return undefined;
  }
}
