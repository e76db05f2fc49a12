import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from '../ui/language-switcher';
import { PasswordChangeForm } from './password-change-form';
import { useSession } from './session-context';

/**
 * Where a signed-in person goes first when their password must change (it no longer passes the policy, or an
 * administrator set it): the server refuses everything else until then, so the chat is not even loaded.
 */
export function PasswordChangeScreen({ minLength }: { minLength: number }) {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <main className="sign-in">
      <section className="sign-in__card" aria-labelledby="password-change-title">
        <h1 id="password-change-title">{t('password.requiredTitle')}</h1>
        <p>{t('password.requiredExplained')}</p>
        <PasswordChangeForm minLength={minLength} onChanged={session.recheck} />
        <button type="button" className="button button--small" onClick={() => void session.signOut()}>
          {t('session.signOut')}
        </button>
      </section>
      <footer className="sign-in__footer">
        <LanguageSwitcher />
      </footer>
    </main>
  );
}
