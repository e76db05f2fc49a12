import { useTranslation } from 'react-i18next';

/** Shown over the room while files are dragged onto it; the drop itself is handled by useFileDrop. */
export function DropOverlay() {
  const { t } = useTranslation();
  return (
    <div className="drop-overlay" aria-hidden="true">
      <span>{t('files.dropHere')}</span>
    </div>
  );
}
