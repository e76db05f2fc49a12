import type { EndpointOutput } from '@enclave/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

type Mine = EndpointOutput<'getMyEmailNotifications'>;

/** My own switch for e-mail digests, with where they go and why none would come now. */
export function EmailNotificationsSetting() {
  const { t } = useTranslation();
  const [mine, setMine] = useState<Mine | undefined>();
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const helpId = useId();

  useEffect(() => {
    void run(async () => setMine(await api.endpoint('getMyEmailNotifications')()));
  }, [run]);

  if (!mine) return <FormError message={error} />;
  return (
    <section className="admin-form" aria-labelledby={headingId}>
      <h3 id={headingId}>{t('emailNotifications.title')}</h3>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={mine.enabled}
          disabled={busy}
          aria-describedby={helpId}
          onChange={(e) => {
            const enabled = e.target.checked;
            const before = mine;
            // The box follows the click at once; the server's answer then replaces it, or a refusal puts it back.
            setMine({ ...mine, enabled });
            void run(async () => {
              try {
                setMine(await api.endpoint('updateMyEmailNotifications')({ body: { enabled } }));
              } catch (failure) {
                setMine(before);
                throw failure;
              }
            });
          }}
        />
        <span>{t('emailNotifications.mine')}</span>
      </label>
      <p id={helpId} className="muted">
        {mine.address === null ? t('emailNotifications.noAddress') : t('emailNotifications.sentTo', { address: mine.address })}{' '}
        {mine.address !== null && mine.enabled && !mine.active && t('emailNotifications.organisationOff')}
      </p>
      <FormError message={error} />
    </section>
  );
}
