import { EnclaveApiError, EnclaveClient } from '@enclave/sdk';
import i18next from 'i18next';
import { currentLocale } from '../i18n/i18n';

/**
 * The one client of the page. It follows the language switch, so server error messages (over HTTP and on the
 * stream) come back in the language chosen right now. The session rides in the HttpOnly cookie, never in script.
 */
export const api = new EnclaveClient({ baseUrl: '', locale: currentLocale() });
i18next.on('languageChanged', () => api.setLocale(currentLocale()));

/**
 * What to tell the reader about a failed call: the server's translated message, or a network hint. A label raised
 * by markings in the content is said so, since the sender did not choose it.
 */
export function describeError(error: unknown): string {
  if (!(error instanceof EnclaveApiError)) return i18next.t('errors.network');
  if (error.code === 'LABEL_ABOVE_ROOM_CEILING' && error.data?.raisedBy === 'content') return `${error.message} ${i18next.t('errors.labelRaisedByContent')}`;
  return error.message;
}
