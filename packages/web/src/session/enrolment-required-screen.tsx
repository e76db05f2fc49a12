import { useTranslation } from 'react-i18next';
import { GateScreen } from './gate-screen';
import { useSession } from './session-context';
import { TwoFactorSetup } from './two-factor-setup';

/** Where the organisation's two-factor rule sends a signed-in person who has not turned it on yet. */
export function EnrolmentRequiredScreen() {
  const { t } = useTranslation();
  const session = useSession();
  return (
    <GateScreen title={t('twoFactor.requiredTitle')} explanation={t('twoFactor.requiredExplained')}>
      <TwoFactorSetup onDone={session.recheck} />
    </GateScreen>
  );
}
