import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountDialog } from '../profile/account-dialog';
import { navigate } from '../app/router';
import { useMe, useSession } from '../session/session-context';
import { Avatar } from '../ui/avatar';
import { LanguageSwitcher } from '../ui/language-switcher';
import { NotificationButton } from '../notifications/notification-button';

export function UserMenu({ adminOpen }: { adminOpen: boolean }) {
  const { t } = useTranslation();
  const me = useMe();
  const session = useSession();
  const [accountOpen, setAccountOpen] = useState(false);

  async function signOut() {
    await session.signOut();
    navigate({ page: 'home' });
  }

  return (
    <footer className="user-menu">
      <div className="user-menu__who">
        <Avatar user={me} />
        <div>
          <div className="user-menu__name">{me.displayName}</div>
          <div className="user-menu__username">@{me.username}</div>
        </div>
      </div>
      <LanguageSwitcher />
      <NotificationButton />
      <div className="user-menu__actions">
        {me.role === 'admin' && (
          <a
            href="/admin"
            className="button button--small"
            aria-current={adminOpen ? 'page' : undefined}
            onClick={(event) => {
              event.preventDefault();
              navigate({ page: 'admin' });
            }}
          >
            {t('admin.link')}
          </a>
        )}
        <button type="button" className="button button--small" onClick={() => setAccountOpen(true)}>
          {t('account.open')}
        </button>
        {accountOpen && <AccountDialog onClose={() => setAccountOpen(false)} />}
        <button type="button" className="button button--small" onClick={() => void signOut()}>
          {t('session.signOut')}
        </button>
      </div>
    </footer>
  );
}
