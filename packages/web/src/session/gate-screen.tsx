import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from '../ui/language-switcher';
import { useSession } from './session-context';

/**
 * A screen a signed-in person must get through before the chat loads (the server refuses everything else until
 * then): what to do, the form that does it, and a way to sign out instead.
 */
export function GateScreen({ title, explanation, children }: { title: string; explanation: string; children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const titleId = useId();
  return (
    <main className="sign-in">
      <section className="sign-in__card" aria-labelledby={titleId}>
        <h1 id={titleId}>{title}</h1>
        <p>{explanation}</p>
        {children}
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
