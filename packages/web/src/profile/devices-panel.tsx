import type { Session } from '@enclave/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { formatDateTime } from './time-zone';

/** My signed-in devices, the current one marked, each with a way to sign it out. */
export function DevicesPanel() {
  const { t } = useTranslation();
  const [sessions, setSessions] = useState<Session[]>([]);
  const [error, setError] = useState<string | undefined>();
  const [notice, setNotice] = useState<string | undefined>();

  const reload = useCallback(() => {
    api.endpoint('listSessions')().then(({ sessions }) => setSessions(sessions), (failure: unknown) => setError(describeError(failure)));
  }, []);
  useEffect(reload, [reload]);

  async function act(action: () => Promise<string | undefined>) {
    setError(undefined);
    setNotice(undefined);
    try {
      setNotice(await action());
      reload();
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  const revoke = (id: string) =>
    act(async () => {
      await api.endpoint('revokeSession')({ params: { sessionId: id } });
      return undefined;
    });
  const revokeOthers = () => act(async () => t('sessions.revokedOthers', { count: (await api.endpoint('revokeOtherSessions')()).revoked }));

  return (
    <section aria-label={t('sessions.title')}>
      <FormError message={error} />
      {notice && (
        <p className="notice notice--success" role="status">
          {notice}
        </p>
      )}
      <ul className="devices">
        {sessions.map((session) => {
          const device = session.userAgent ?? t('sessions.unknownDevice');
          return (
            <li key={session.id} className="devices__item">
              <div>
                <div className="devices__agent">{device}</div>
                <div className="muted">{t('sessions.lastSeen', { when: formatDateTime(session.lastSeenAt, { dateStyle: 'medium', timeStyle: 'short' }) })}</div>
              </div>
              {session.current ? (
                <strong>{t('sessions.current')}</strong>
              ) : (
                <button type="button" className="button button--small" aria-label={t('sessions.revokeNamed', { device })} onClick={() => void revoke(session.id)}>
                  {t('sessions.revoke')}
                </button>
              )}
            </li>
          );
        })}
      </ul>
      {sessions.length > 1 && (
        <button type="button" className="button" onClick={() => void revokeOthers()}>
          {t('sessions.revokeOthers')}
        </button>
      )}
    </section>
  );
}
