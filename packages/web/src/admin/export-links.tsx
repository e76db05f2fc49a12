import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-context';

/**
 * Plain download links rather than SDK calls: the browser streams the file to disk with the server's file name,
 * and the session cookie authorises the request like any other. An administrator exports only rooms they are in
 * (the server answers EXPORT_NEEDS_COMPLIANCE for the others), so for those the links give way to who can.
 */
export function ExportLinks({ roomId, roomLabel }: { roomId: string; roomLabel: string }) {
  const { t } = useTranslation();
  const { state } = useChat();
  if (!state.rooms?.some((room) => room.id === roomId)) return <span className="muted">{t('adminRooms.exportByOfficer')}</span>;
  const base = `/api/v1/rooms/${encodeURIComponent(roomId)}/export?format=`;
  return (
    <span className="export-links">
      <a className="button button--small" href={`${base}jsonl`} download aria-label={t('adminRooms.exportJsonlNamed', { name: roomLabel })}>
        {t('adminRooms.exportJsonl')}
      </a>
      <a className="button button--small" href={`${base}html`} download aria-label={t('adminRooms.exportHtmlNamed', { name: roomLabel })}>
        {t('adminRooms.exportHtml')}
      </a>
    </span>
  );
}
