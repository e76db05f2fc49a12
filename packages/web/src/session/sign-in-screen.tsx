import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { LanguageSwitcher } from '../ui/language-switcher';
import { useSession } from './session-context';

export function SignInScreen() {
  const { t } = useTranslation();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  const expired = session.state.status === 'signed-out' && session.state.reason === 'expired';

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      await session.signIn(username.trim(), password);
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return (
    <main className="sign-in">
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
      <footer className="sign-in__footer">
        <LanguageSwitcher />
      </footer>
    </main>
  );
}
