import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../ui/dialog';
import { DevicesPanel } from './devices-panel';
import { EmailNotificationsSetting } from './email-notifications-setting';
import { PasswordPanel } from './password-panel';
import { ProfileForm } from './profile-form';
import { SecurityLogPanel } from './security-log-panel';
import { TwoFactorPanel } from './two-factor-panel';

type Tab = 'profile' | 'password' | 'security' | 'devices' | 'log';

/** One's own account, opened from the user menu: profile, password, two-factor sign-in, signed-in devices and the security log. */
export function AccountDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const [tab, setTab] = useState<Tab>('profile');
  const tabs: [Tab, string][] = [
    ['profile', t('account.profileTab')],
    ['password', t('account.passwordTab')],
    ['security', t('account.securityTab')],
    ['devices', t('account.devicesTab')],
    ['log', t('account.securityLogTab')],
  ];
  return (
    <Dialog title={t('account.title')} onClose={onClose}>
      <div className="tabs" role="tablist">
        {tabs.map(([id, label]) => (
          <button key={id} type="button" role="tab" aria-selected={tab === id} className="tabs__tab" onClick={() => setTab(id)}>
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" className="account">
        {tab === 'profile' && (
          <>
            <ProfileForm />
            <EmailNotificationsSetting />
          </>
        )}
        {tab === 'password' && <PasswordPanel />}
        {tab === 'security' && <TwoFactorPanel />}
        {tab === 'devices' && <DevicesPanel />}
        {tab === 'log' && <SecurityLogPanel />}
      </div>
    </Dialog>
  );
}
