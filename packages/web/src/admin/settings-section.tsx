import type { AdminSettings } from '@enclave/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { GuestClearanceForm, PasswordLengthForm, RecallWindowForm, type SaveSettings } from './settings-forms';
import { EmailNotificationsForm } from './email-notifications-form';
import { FilePolicyForm } from './file-policy-form';
import { SendGuardForm } from './send-guard-form';

/** Organisation-wide settings: sign-in, passwords, recall, the wrong-recipient guard, what guests may be trusted with, uploads and e-mail notifications. */
export function SettingsSection() {
  const [settings, setSettings] = useState<AdminSettings | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.endpoint('getAdminSettings')().then(
      (answer) => setSettings(answer.settings),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);

  /** Every form saves one part and gets the whole settings back, so all of them show what the server kept. */
  const save = async (change: Partial<AdminSettings>) => setSettings((await api.endpoint('updateAdminSettings')({ body: change })).settings);

  if (!settings) return <FormError message={error} />;
  return (
    <>
      <TwoFactorSetting settings={settings} save={save} />
      <PasswordLengthForm key={`password:${settings.passwordMinLength}`} minLength={settings.passwordMinLength} save={save} />
      {/* Keyed by the saved values, so a form starts again from what the server kept. */}
      <SendGuardForm key={JSON.stringify(settings.sendGuard)} policy={settings.sendGuard} save={save} />
      <RecallWindowForm key={`recall:${settings.recallWindowSeconds}`} seconds={settings.recallWindowSeconds} save={save} />
      <GuestClearanceForm key={`guest:${settings.guestMaxClearance}`} clearance={settings.guestMaxClearance} save={save} />
      <FilePolicyForm key={`files:${JSON.stringify(settings.files)}`} policy={settings.files} save={save} />
      <EmailNotificationsForm key={`email:${JSON.stringify(settings.emailNotifications)}`} policy={settings.emailNotifications} save={save} />
    </>
  );
}

function TwoFactorSetting({ settings, save }: { settings: AdminSettings; save: SaveSettings }) {
  const { t } = useTranslation();
  const { busy, error, run } = useServerCall();
  const helpId = useId();
  const headingId = useId();
  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('console.signInTitle')}</h2>
      <label className="checkbox">
        <input
          type="checkbox"
          checked={settings.requireTwoFactor}
          disabled={busy}
          aria-describedby={helpId}
          onChange={(e) => void run(() => save({ requireTwoFactor: e.target.checked }))}
        />
        <span>{t('console.requireTwoFactor')}</span>
      </label>
      <p id={helpId} className="muted">
        {t('console.requireTwoFactorHelp')}
      </p>
      <FormError message={error} />
    </section>
  );
}
