import { PasswordWeakness } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import i18next from 'i18next';
import { describeError } from '../app/api';

/**
 * What to tell someone whose new password was refused: the policy's own reason (too short, and the minimum;
 * common; only spaces…) rather than the general message, so they know what to change.
 */
export function describePasswordError(error: unknown): string {
  if (error instanceof EnclaveApiError && error.code === 'PASSWORD_TOO_WEAK') {
    const reason = PasswordWeakness.safeParse(error.data?.reason);
    if (reason.success) return i18next.t(`password.weak.${reason.data}`, { minimum: Number(error.data?.minimum) });
  }
  return describeError(error);
}
