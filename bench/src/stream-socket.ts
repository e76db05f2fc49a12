import { ClientFrame, ServerFrame, STREAM_PATH } from '@enclave/protocol';
import WebSocket from 'ws';

const OPEN_TIMEOUT_MS = 30_000;

/** Frames a bench client can receive: Enclave's server frames, or its own send frames echoed by the baseline. */
export type ReceivedFrame = ServerFrame | ClientFrame;

export interface SocketOptions {
  /** Loopback source address of the connection. */
  localAddress?: string | undefined;
  /** Enclave streams are ready once `synced` arrives; the baseline once the socket is open. */
  readyOn: 'synced' | 'open';
  onFrame?: (frame: ReceivedFrame) => void;
  /** A frame that is not JSON or does not match the protocol. */
  onInvalidFrame?: (error: unknown) => void;
  onClose?: (code: number) => void;
}

/** The stream URL of a signed-in user; with `after`, the server first replays what the user missed after it. */
export function enclaveStreamUrl(baseUrl: string, token: string, after?: number): string {
  const resume = after === undefined ? '' : `&after=${after}`;
  return `${baseUrl.replace(/^http/, 'ws')}${STREAM_PATH}?token=${encodeURIComponent(token)}${resume}`;
}

/**
 * Opens a WebSocket and resolves when it is ready. Every frame is parsed as JSON and typed by the protocol;
 * the first frame of each type on each socket is also validated against the protocol's schema (validating all
 * of them would make the load generator, not the server, the bottleneck).
 */
export function openSocket(url: string, options: SocketOptions): Promise<WebSocket> {
  // The load generator decodes every frame as text itself, so ws need not validate UTF-8 first.
  const socket = new WebSocket(url, { perMessageDeflate: false, skipUTF8Validation: true, localAddress: options.localAddress });
  const validated = new Set<string>();
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`socket not ready within ${OPEN_TIMEOUT_MS} ms`));
    }, OPEN_TIMEOUT_MS);
    const becomeReady = () => {
      ready = true;
      clearTimeout(timer);
      resolve(socket);
    };
    socket.on('message', (data: Buffer) => {
      let frame: ReceivedFrame;
      try {
        frame = JSON.parse(data.toString()) as ReceivedFrame;
        if (!validated.has(frame.type)) {
          validated.add(frame.type);
          (frame.type === 'message.send' ? ClientFrame : ServerFrame).parse(frame);
        }
      } catch (error) {
        options.onInvalidFrame?.(error);
        return;
      }
      options.onFrame?.(frame);
      if (!ready && options.readyOn === 'synced' && frame.type === 'synced') becomeReady();
    });
    socket.on('open', () => {
      if (options.readyOn === 'open') becomeReady();
    });
    socket.on('error', (error) => {
      if (ready) return;
      clearTimeout(timer);
      reject(error);
    });
    socket.on('close', (code) => {
      if (!ready) {
        clearTimeout(timer);
        reject(new Error(`socket closed with code ${code} before it was ready`));
      }
      options.onClose?.(code);
    });
  });
}

/** Closes sockets and waits (boundedly) until they are closed. */
export async function closeSockets(sockets: readonly WebSocket[], timeoutMs = 10_000): Promise<void> {
  const closed = sockets.map(
    (socket) =>
      new Promise<void>((resolve) => {
        if (socket.readyState === WebSocket.CLOSED) return resolve();
        socket.once('close', () => resolve());
        socket.close();
      }),
  );
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)));
  await Promise.race([Promise.all(closed), timedOut]);
  clearTimeout(timer);
  for (const socket of sockets) if (socket.readyState !== WebSocket.CLOSED) socket.terminate();
}
