import type { AdminSettings } from '@enclave/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';

export function SettingsSection() {
  const { t } = useTranslation();
  const [settings, setSettings] = useState<AdminSettings | undefined>();
  const [error, setError] = useState<string | undefined>();
  const helpId = useId();

  useEffect(() => {
    api.call('getAdminSettings').then(
      (answer) => setSettings(answer.settings),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);

  async function change(requireTwoFactor: boolean) {
    setError(undefined);
    try {
      setSettings((await api.call('updateAdminSettings', { body: { requireTwoFactor } })).settings);
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return (
    <section className="card" aria-label={t('console.settingsTab')}>
      <FormError message={error} />
      {settings && (
        <label className="checkbox">
          <input type="checkbox" checked={settings.requireTwoFactor} aria-describedby={helpId} onChange={(e) => void change(e.target.checked)} />
          <span>{t('console.requireTwoFactor')}</span>
        </label>
      )}
      <p id={helpId} className="muted">
        {t('console.requireTwoFactorHelp')}
      </p>
    </section>
  );
}
