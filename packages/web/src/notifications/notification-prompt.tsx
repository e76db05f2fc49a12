import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNotificationPermission } from './use-notification-permission';

const DISMISSED_KEY = 'enclave.notifications.prompted';

/** A one-time offer to turn on desktop notifications; asking the browser only ever follows a click here. */
export function NotificationPrompt() {
  const { t } = useTranslation();
  const { permission, request } = useNotificationPermission();
  const [dismissed, setDismissed] = useState(() => readDismissed());
  if (permission !== 'default' || dismissed) return null;
  const close = () => {
    setDismissed(true);
    try {
      localStorage.setItem(DISMISSED_KEY, '1');
    } catch {
      // Without storage the offer comes back next time, which is harmless.
    }
  };
  return (
    <div className="notification-prompt" role="region" aria-label={t('notifications.enable')}>
      <p>{t('notifications.prompt')}</p>
      <div className="notification-prompt__actions">
        <button
          type="button"
          className="button button--small button--primary"
          onClick={() => {
            request();
            close();
          }}
        >
          {t('notifications.enable')}
        </button>
        <button type="button" className="button button--small" onClick={close}>
          {t('notifications.dismiss')}
        </button>
      </div>
    </div>
  );
}

function readDismissed(): boolean {
  try {
    return localStorage.getItem(DISMISSED_KEY) !== null;
  } catch {
    return false;
  }
}
