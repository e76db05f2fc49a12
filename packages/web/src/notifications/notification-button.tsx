import { useTranslation } from 'react-i18next';
import { useNotificationPermission } from './use-notification-permission';

/** The user menu's switch for desktop notifications; once granted or blocked, only the browser can change it. */
export function NotificationButton() {
  const { t } = useTranslation();
  const { permission, request } = useNotificationPermission();
  if (permission === 'unsupported') return null;
  if (permission === 'granted') return <span className="user-menu__note">{t('notifications.enabled')}</span>;
  if (permission === 'denied') return <span className="user-menu__note">{t('notifications.blocked')}</span>;
  return (
    <button type="button" className="button button--small" onClick={request}>
      {t('notifications.enable')}
    </button>
  );
}
