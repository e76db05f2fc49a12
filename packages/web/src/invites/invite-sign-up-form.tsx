import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { navigate } from '../app/router';
import { useSession } from '../session/session-context';
import { FormError } from '../ui/form-error';
import { describePasswordError } from '../session/password-problem';
import { useServerCall } from '../ui/use-server-call';

/** A newcomer's own account, made through an organisation invite; signed in (in a cookie) unless approval is needed. */
export function InviteSignUpForm({ code, onWaiting }: { code: string; onWaiting: () => void }) {
  const { t } = useTranslation();
  const session = useSession();
  const [username, setUsername] = useState('');
  const [displayName, setDisplayName] = useState('');
  const [password, setPassword] = useState('');
  // A refused password is explained by the policy's reason, as in the password change form.
  const { busy, error, run } = useServerCall(describePasswordError);

  async function submit(event: FormEvent) {
    event.preventDefault();
    await run(async () => {
      const answer = await api.endpoint('acceptInvite')({ params: { code }, body: { account: { username: username.trim(), displayName, password }, useCookie: true } });
      if (answer.outcome === 'pending') return onWaiting();
      navigate({ page: 'home' });
      session.recheck();
    });
  }

  return (
    <form className="invite-sign-up" onSubmit={submit}>
      <h2>{t('invites.signUpTitle')}</h2>
      <label className="field">
        <span>{t('invites.username')}</span>
        <input value={username} onChange={(e) => setUsername(e.target.value.toLowerCase())} autoComplete="username" autoCapitalize="none" minLength={2} maxLength={32} required />
        <small className="muted">{t('invites.usernameHelp')}</small>
      </label>
      <label className="field">
        <span>{t('invites.displayName')}</span>
        <input value={displayName} onChange={(e) => setDisplayName(e.target.value)} autoComplete="name" maxLength={64} required />
      </label>
      <label className="field">
        <span>{t('invites.password')}</span>
        <input type="password" value={password} onChange={(e) => setPassword(e.target.value)} autoComplete="new-password" required />
        <small className="muted">{t('invites.passwordHelp')}</small>
      </label>
      <FormError message={error} />
      <button type="submit" className="button button--primary button--wide" disabled={busy}>
        {busy ? t('invites.signingUp') : t('invites.signUp')}
      </button>
    </form>
  );
}
