import type { RoomSummary } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';

/** Says under the room's header that people from outside the organisation read along. */
export function GuestBanner({ room }: { room: RoomSummary }) {
  const { t } = useTranslation();
  if (room.guestCount === 0) return null;
  return (
    <div className="room-banner room-banner--guests" role="status">
      {t('guests.roomNotice', { count: room.guestCount })}
    </div>
  );
}
