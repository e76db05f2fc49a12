import type { ErrorCode } from '@enclave/protocol';

/** A failure the server answered with a stable code; `message` is already in the caller's language. */
export class EnclaveApiError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status: number,
    readonly data?: Record<string, unknown>,
  ) {
    super(message);
    this.name = 'EnclaveApiError';
  }
}
