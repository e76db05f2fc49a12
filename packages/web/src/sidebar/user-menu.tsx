import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { AccountDialog } from '../profile/account-dialog';
import { navigate } from '../app/router';
import { useMe, useSession } from '../session/session-context';
import { Avatar } from '../ui/avatar';
import { LanguageSwitcher } from '../ui/language-switcher';
import { NotificationButton } from '../notifications/notification-button';

export function UserMenu({ consoleOpen }: { consoleOpen: boolean }) {
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
        {me.role === 'admin' && <ConsoleLink page="admin" label={t('admin.link')} current={consoleOpen} />}
        {me.role === 'compliance' && <ConsoleLink page="compliance" label={t('compliance.link')} current={consoleOpen} />}
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

/** The way into one's console: administrators and compliance officers each have their own, and never the other's. */
function ConsoleLink({ page, label, current }: { page: 'admin' | 'compliance'; label: string; current: boolean }) {
  return (
    <a
      href={`/${page}`}
      className="button button--small"
      aria-current={current ? 'page' : undefined}
      onClick={(event) => {
        event.preventDefault();
        navigate({ page });
      }}
    >
      {label}
    </a>
  );
}
