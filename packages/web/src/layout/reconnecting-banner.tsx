import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-context';

/** The live region stays mounted (and collapses when empty) so that screen readers announce the change. */
export function ReconnectingBanner() {
  const { t } = useTranslation();
  const { connection } = useChat();
  return (
    <div className="banner" role="status">
      {connection === 'reconnecting' ? t('connection.reconnecting') : ''}
      {connection === 'outdated' ? (
        <>
          {t('connection.outdated')}{' '}
          <button type="button" className="link-button" onClick={() => window.location.reload()}>
            {t('connection.reload')}
          </button>
        </>
      ) : null}
    </div>
  );
}
