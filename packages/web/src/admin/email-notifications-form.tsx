import type { EmailNotificationPolicy, EndpointOutput } from '@enclave/protocol';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import type { SaveSettings } from './settings-forms';

type SmtpStatus = EndpointOutput<'getEmailNotificationsStatus'>['smtp'];

/**
 * The organisation's switch for e-mail digests, with the SMTP server the operator configured (never its password)
 * and a test e-mail to the administrator's own address, so a wrong setting shows here rather than in nobody's inbox.
 */
export function EmailNotificationsForm({ policy, save }: { policy: EmailNotificationPolicy; save: SaveSettings }) {
  const { t } = useTranslation();
  const [smtp, setSmtp] = useState<SmtpStatus | undefined>();
  const [enabled, setEnabled] = useState(policy.enabled);
  const [delay, setDelay] = useState(String(policy.delayMinutes));
  const [namesRooms, setNamesRooms] = useState(policy.namesRooms);
  const [sentTo, setSentTo] = useState<string | undefined>();
  const { busy, error, run } = useServerCall();
  const headingId = useId();
  const helpId = useId();

  useEffect(() => {
    void run(async () => setSmtp((await api.endpoint('getEmailNotificationsStatus')()).smtp));
  }, [run]);

  const minutes = Number(delay);
  const valid = Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440;
  const changed = enabled !== policy.enabled || minutes !== policy.delayMinutes || namesRooms !== policy.namesRooms;

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (valid) await run(() => save({ emailNotifications: { enabled, delayMinutes: minutes, namesRooms } }));
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('emailNotifications.title')}</h2>
      <p id={helpId} className="muted">
        {t('emailNotifications.adminHelp')}
      </p>
      <p className="muted">
        {smtp?.configured ? t('emailNotifications.smtp', { host: smtp.host ?? '', port: smtp.port ?? '', security: smtp.security ?? '', from: smtp.from ?? '' }) : smtp && t('emailNotifications.smtpMissing')}
      </p>
      <form className="settings-form" onSubmit={submit}>
        <label className="checkbox">
          <input type="checkbox" checked={enabled} disabled={busy || (!smtp?.configured && !enabled)} aria-describedby={helpId} onChange={(e) => setEnabled(e.target.checked)} />
          <span>{t('emailNotifications.enabled')}</span>
        </label>
        <label className="field">
          <span>{t('emailNotifications.delay')}</span>
          <input type="number" min={1} max={1440} step={1} inputMode="numeric" value={delay} onChange={(e) => setDelay(e.target.value)} />
        </label>
        <label className="checkbox">
          <input type="checkbox" checked={namesRooms} onChange={(e) => setNamesRooms(e.target.checked)} />
          <span>{t('emailNotifications.namesRooms')}</span>
        </label>
        <FormError message={error} />
        {sentTo && (
          <p className="notice notice--success" role="status">
            {t('emailNotifications.testSent', { address: sentTo })}
          </p>
        )}
        <div className="admin-form__actions">
          <button type="submit" className="button button--primary" disabled={busy || !valid || !changed}>
            {t('console.save')}
          </button>
          <button type="button" className="button" disabled={busy || !smtp?.configured} onClick={() => void run(async () => setSentTo((await api.endpoint('sendTestEmail')({ body: {} })).sentTo))}>
            {t('emailNotifications.test')}
          </button>
        </div>
      </form>
    </section>
  );
}
