import type { User } from '@enclave/protocol';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

/** Where a person's e-mail digests go: only administrators set it, so nobody routes them to a mailbox of their own. */
export function EmailAddressDialog({ user, onClose }: { user: User; onClose: () => void }) {
  const { t } = useTranslation();
  const [address, setAddress] = useState<string | undefined>();
  const [saved, setSaved] = useState(false);
  const { busy, error, run } = useServerCall();

  useEffect(() => {
    void run(async () => setAddress((await api.endpoint('getUserEmailAddress')({ params: { userId: user.id } })).address ?? ''));
  }, [run, user.id]);

  async function save(event: FormEvent) {
    event.preventDefault();
    setSaved(false);
    const value = (address ?? '').trim();
    setSaved(await run(() => api.endpoint('setUserEmailAddress')({ params: { userId: user.id }, body: { address: value === '' ? null : value } })));
  }

  return (
    <Dialog title={t('emailNotifications.addressNamed', { name: user.displayName })} onClose={onClose}>
      <form className="admin-form" onSubmit={save}>
        <label className="field">
          <span>{t('emailNotifications.address')}</span>
          <input type="email" value={address ?? ''} disabled={address === undefined} onChange={(e) => setAddress(e.target.value)} autoComplete="off" />
          <small className="muted">{t('emailNotifications.addressHelp')}</small>
        </label>
        <FormError message={error} />
        {saved && (
          <p className="notice notice--success" role="status">
            {t('emailNotifications.addressSaved')}
          </p>
        )}
        <div className="admin-form__actions">
          <button type="submit" className="button button--primary" disabled={busy || address === undefined}>
            {t('console.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
