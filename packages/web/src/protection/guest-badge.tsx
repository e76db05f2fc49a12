import type { User } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';

/** "External" beside a guest's name, wherever a name is shown, so nobody mistakes a partner for a colleague. */
export function GuestBadge({ user }: { user: Pick<User, 'role'> | undefined }) {
  const { t } = useTranslation();
  if (user?.role !== 'guest') return null;
  return (
    <span className="guest-badge" title={t('guests.badgeTitle')}>
      {t('guests.badge')}
    </span>
  );
}
