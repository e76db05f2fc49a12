import { httpStatusOf, type ErrorCode } from '@enclave/protocol';

/**
 * The one error type services throw. The code is stable and documented; the message shown to people comes from
 * the protocol's translated catalogue, so nothing from inside the server leaks into an answer.
 */
export class AppError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    readonly data?: Record<string, unknown>,
  ) {
    super(code);
    this.name = 'AppError';
    this.status = httpStatusOf(code);
  }
}
