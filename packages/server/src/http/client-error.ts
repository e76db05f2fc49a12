import type { Socket } from 'node:net';
import { errorMessages, httpStatusOf, type ErrorCode, type ErrorResponse } from '@enclave/protocol';
import type { FastifyInstance } from 'fastify';

/**
 * Answers what Node's HTTP parser refuses before any route sees it (a malformed request line or header, headers
 * too large, headers or a body that took too long) with our own error body, then closes the connection: after a
 * parse error nothing more on it can be trusted. A peer that is already gone gets nothing, and nothing is thrown,
 * so no client can end the process this way.
 */
export function answerClientError(this: FastifyInstance, error: Error & { code?: string }, socket: Socket): void {
  if (error.code === 'ECONNRESET' || socket.destroyed) return;
  const code = clientErrorCode(error.code);
  this.log.debug({ code: error.code }, 'refused a malformed or slow request');
  if (socket.writable && !responseStarted(socket)) {
    const status = httpStatusOf(code);
    // No request was parsed, so there is no Accept-Language to follow.
    const body = JSON.stringify({ error: { code, message: errorMessages.en[code] } } satisfies ErrorResponse);
    socket.end(
      `HTTP/1.1 ${status} ${reasons[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  }
  socket.destroySoon();
}

const reasons: Record<number, string> = { 400: 'Bad Request', 408: 'Request Timeout', 431: 'Request Header Fields Too Large' };

function clientErrorCode(nodeCode: string | undefined): ErrorCode {
  if (nodeCode === 'ERR_HTTP_REQUEST_TIMEOUT') return 'REQUEST_TIMEOUT';
  if (nodeCode === 'HPE_HEADER_OVERFLOW') return 'HEADERS_TOO_LARGE';
  return 'MALFORMED_REQUEST';
}

/** A request whose answer is already on its way (a timeout during a download) cannot be answered again. */
function responseStarted(socket: Socket): boolean {
  const current = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
  return current?.headersSent === true;
}
