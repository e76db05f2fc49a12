import type { User } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';

/**
 * "External" beside a guest's name, wherever a name is shown, so nobody mistakes a partner for a colleague. It
 * follows the server's `guest` flag (on users, members and message senders), never a guess of the client's.
 */
export function GuestBadge({ user }: { user: Pick<User, 'guest'> | undefined }) {
  const { t } = useTranslation();
  if (!user?.guest) return null;
  return (
    <span className="guest-badge" title={t('guests.badgeTitle')}>
      {t('guests.badge')}
    </span>
  );
}
