import { useTranslation } from 'react-i18next';

/** Below a stretch of the past: newer messages load on scrolling, or here; or the reader goes back to the newest. */
export function NewerBar({ loading, onLoadNewer, onJumpToNewest }: { loading: boolean; onLoadNewer: () => void; onJumpToNewest: () => void }) {
  const { t } = useTranslation();
  return (
    <div className="message-list__newer">
      <span className="muted">{t('search.viewingPast')}</span>
      <button type="button" className="button button--small" disabled={loading} onClick={onLoadNewer}>
        {loading ? t('common.loading') : t('search.loadNewer')}
      </button>
      <button type="button" className="button button--small" onClick={onJumpToNewest}>
        {t('search.jumpToNewest')}
      </button>
    </div>
  );
}
