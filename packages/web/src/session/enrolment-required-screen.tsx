import { useTranslation } from 'react-i18next';
import { LanguageSwitcher } from '../ui/language-switcher';
import { useSession } from './session-context';
import { TwoFactorSetup } from './two-factor-setup';

/** Where the organisation's two-factor rule sends a signed-in person who has not turned it on yet. */
export function EnrolmentRequiredScreen() {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <main className="sign-in">
      <section className="sign-in__card" aria-labelledby="enrolment-required-title">
        <h1 id="enrolment-required-title">{t('twoFactor.requiredTitle')}</h1>
        <p>{t('twoFactor.requiredExplained')}</p>
        <TwoFactorSetup onDone={session.recheck} />
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
