import { EnclaveApiError } from '@enclave/sdk';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { useSession } from './session-context';

/** The second sign-in step: a code from the authenticator app, or one of the recovery codes. */
export function SecondStepForm({ challenge, onRestart }: { challenge: string; onRestart: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [useRecovery, setUseRecovery] = useState(false);
  const [value, setValue] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await session.signInWithSecondFactor(challenge, useRecovery ? { recoveryCode: value.trim() } : { code: value.trim() });
    } catch (failure) {
      // An expired or exhausted challenge means starting again with the password.
      if (failure instanceof EnclaveApiError && failure.code === 'UNAUTHENTICATED') onRestart();
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return (
    <form className="sign-in__card" onSubmit={submit}>
      <h1>{t('twoFactor.secondStepTitle')}</h1>
      <p className="muted">{t('twoFactor.secondStepExplained')}</p>
      <label className="field">
        <span>{useRecovery ? t('twoFactor.recoveryCode') : t('twoFactor.code')}</span>
        {useRecovery ? (
          <input value={value} onChange={(e) => setValue(e.target.value)} autoComplete="off" autoCapitalize="none" required autoFocus />
        ) : (
          <input value={value} onChange={(e) => setValue(e.target.value)} inputMode="numeric" autoComplete="one-time-code" pattern="\d{6}" maxLength={6} required autoFocus />
        )}
      </label>
      <FormError message={error} />
      <button type="submit" className="button button--primary button--wide" disabled={busy}>
        {t('twoFactor.verify')}
      </button>
      <button
        type="button"
        className="button button--small"
        onClick={() => {
          setUseRecovery(!useRecovery);
          setValue('');
          setError(undefined);
        }}
      >
        {useRecovery ? t('twoFactor.useCode') : t('twoFactor.useRecovery')}
      </button>
      <button type="button" className="button button--small" onClick={onRestart}>
        {t('twoFactor.back')}
      </button>
    </form>
  );
}
