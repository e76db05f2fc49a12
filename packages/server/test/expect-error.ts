import assert from 'node:assert/strict';
import { EnclaveApiError } from '@enclave/sdk';

/** Awaits a call that must fail with the given stable code (and HTTP status, when named). */
export async function rejectsWith(promise: Promise<unknown>, code: string, status?: number): Promise<EnclaveApiError> {
  const error = await promise.then(
    () => assert.fail(`expected ${code}, but the call succeeded`),
    (e: unknown) => e,
  );
  assert.ok(error instanceof EnclaveApiError, `expected an API error, got ${String(error)}`);
  assert.equal(error.code, code);
  if (status !== undefined) assert.equal(error.status, status);
  return error;
}
