import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { TwoFactorSetup } from '../session/two-factor-setup';
import { FormError } from '../ui/form-error';

/** Turns one's own two-factor sign-in on (enrolment) or off (with a current code). */
export function TwoFactorPanel() {
  const { t } = useTranslation();
  const [enabled, setEnabled] = useState<boolean | undefined>();
  const [code, setCode] = useState('');
  const [error, setError] = useState<string | undefined>();

  const reload = () => void api.endpoint('me')().then(({ twoFactor }) => setEnabled(twoFactor.enabled), (failure: unknown) => setError(describeError(failure)));
  useEffect(reload, []);

  async function disable(event: FormEvent) {
    event.preventDefault();
    setError(undefined);
    try {
      await api.endpoint('disableTwoFactor')({ body: { code: code.trim() } });
      setCode('');
      setEnabled(false);
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  if (enabled === undefined) return <FormError message={error} />;
  if (!enabled) {
    return (
      <div>
        <p>{t('twoFactor.off')}</p>
        <TwoFactorSetup onDone={reload} />
      </div>
    );
  }
  return (
    <form className="admin-form" onSubmit={disable}>
      <p>{t('twoFactor.on')}</p>
      <p className="muted">{t('twoFactor.disableExplained')}</p>
      <label className="field">
        <span>{t('twoFactor.code')}</span>
        <input value={code} onChange={(e) => setCode(e.target.value)} inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required />
      </label>
      <FormError message={error} />
      <div className="admin-form__actions">
        <button type="submit" className="button">
          {t('twoFactor.disable')}
        </button>
      </div>
    </form>
  );
}
