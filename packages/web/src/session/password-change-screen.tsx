import { useTranslation } from 'react-i18next';
import { GateScreen } from './gate-screen';
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
    <GateScreen title={t('password.requiredTitle')} explanation={t('password.requiredExplained')}>
      <PasswordChangeForm minLength={minLength} onChanged={session.recheck} />
    </GateScreen>
  );
}
