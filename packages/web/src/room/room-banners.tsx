import type { RoomSummary } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { navigate } from '../app/router';

export function FrozenBanner({ room }: { room: RoomSummary }) {
  const { t } = useTranslation();
  if (!room.frozen) return null;
  return (
    <div className="room-banner room-banner--frozen" role="status">
      {t('roomState.frozen', { reason: room.frozen.reason })}
    </div>
  );
}

/** Where an open room goes when an administrator deletes it while someone is reading it. */
export function DeletedRoomNotice() {
  const { t } = useTranslation();
  return (
    <div className="empty-state" role="alert">
      <h1>{t('roomState.deletedTitle')}</h1>
      <p className="muted">{t('roomState.deleted')}</p>
      <button type="button" className="button" onClick={() => navigate({ page: 'home' })}>
        {t('room.backToRooms')}
      </button>
    </div>
  );
}
