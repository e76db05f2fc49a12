import { EnclaveApiError } from '@enclave/sdk';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { LanguageSwitcher } from '../ui/language-switcher';
import { useSession } from './session-context';
import { SecondStepForm } from './second-step-form';

/** `notice` tells why signing in is asked for here (following a room invite). */
export function SignInScreen({ notice }: { notice?: string } = {}) {
  const { t } = useTranslation();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const [challenge, setChallenge] = useState<string | undefined>();
  const expired = session.state.status === 'signed-out' && session.state.reason === 'expired';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(username.trim(), password);
    } catch (failure) {
      if (failure instanceof EnclaveApiError && failure.code === 'TOTP_REQUIRED' && typeof failure.data?.challenge === 'string') {
        setChallenge(failure.data.challenge);
      } else {
        setError(describeError(failure));
      }
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
      {challenge ? (
        <SecondStepForm
          challenge={challenge}
          onRestart={() => {
            setChallenge(undefined);
            setPassword('');
          }}
        />
      ) : (
        <form className="sign-in__card" onSubmit={submit}>
          <div className="brand">
            <span className="brand__mark" aria-hidden="true">
              E
            </span>
            <span className="brand__name">Enclave</span>
          </div>
          <h1>{t('signIn.title')}</h1>
          <p className="muted">{t('signIn.subtitle')}</p>
          {expired && <p className="notice">{t('signIn.expired')}</p>}
          {notice && <p className="notice">{notice}</p>}
          <label className="field">
            <span>{t('signIn.username')}</span>
            <input value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="username" autoCapitalize="none" required autoFocus />
          </label>
          <label className="field">
            <span>{t('signIn.password')}</span>
            <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="current-password" required />
          </label>
          <FormError message={error} />
          <button type="submit" className="button button--primary button--wide" disabled={busy}>
            {busy ? t('signIn.submitting') : t('signIn.submit')}
          </button>
        </form>
      )}
      <footer className="sign-in__footer">
        <LanguageSwitcher />
      </footer>
    </main>
  );
}
