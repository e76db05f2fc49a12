import { EnclaveApiError } from '@enclave/sdk';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { useLabels } from '../labels/labels-context';
import { describePasswordError } from '../session/password-problem';

/** The organisation's highest clearance for guests, once loaded. */
export function useGuestMaxClearance(): string | undefined {
  const [clearance, setClearance] = useState<string | undefined>();
  useEffect(() => {
    api
      .endpoint('getAdminSettings')()
      .then((answer) => setClearance(answer.settings.guestMaxClearance))
      .catch(() => undefined); // Refusals then say only what the server said, which is still true.
  }, []);
  return clearance;
}

/**
 * Why changing a person failed. A guest's clearance above the organisation's maximum gets the maximum named, so the
 * administrator knows what to pick instead (or to raise the maximum in Settings).
 */
export function useDescribeUserFailure(guestMaxClearance: string | undefined): (failure: unknown) => string {
  const { t } = useTranslation();
  const labels = useLabels();
  return (failure) => {
    // A refused password says which rule it broke, as everywhere a password is set.
    const message = describePasswordError(failure);
    if (!(failure instanceof EnclaveApiError) || failure.code !== 'CLEARANCE_ABOVE_GUEST_MAXIMUM') return message;
    const maximum = typeof failure.data?.['maximum'] === 'string' ? failure.data['maximum'] : guestMaxClearance;
    return maximum ? `${message} ${t('admin.guestMaximumIs', { name: labels.nameOf(maximum) })}` : message;
  };
}
