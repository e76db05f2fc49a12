import { EnclaveApiError, EnclaveClient } from '@enclave/sdk';
import i18next from 'i18next';
import { currentLocale } from '../i18n/i18n';

/**
 * The one client of the page. The SDK fixes Accept-Language when a client is built, so rather than rebuilding the
 * client (and every effect that holds it) on a language switch, each request carries the language chosen right
 * now; server error messages follow the switch at once. The session rides in the HttpOnly cookie, never in script.
 */
export const api = new EnclaveClient({
  baseUrl: '',
  fetch: (input, init) => {
    const headers = new Headers(init?.headers);
    headers.set('accept-language', currentLocale());
    return fetch(input, { ...init, headers });
  },
});

/** What to tell the reader about a failed call: the server's translated message, or a network hint. */
export function describeError(error: unknown): string {
  if (error instanceof EnclaveApiError) return error.message;
  return i18next.t('errors.network');
}
