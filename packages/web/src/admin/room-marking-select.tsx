import { RoomMarking, type Room } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

/**
 * Where watermarks apply in one room (by label, always, never): an administrator's setting only, saved as soon as
 * it is chosen. Under it, whether the room's view is watermarked now, since "by label" depends on its ceiling.
 */
export function RoomMarkingSelect({ room, name, onChanged }: { room: Room; name: string; onChanged: (room: Room) => void }) {
  const { t } = useTranslation();
  const { busy, error, run } = useServerCall();

  async function choose(marking: RoomMarking) {
    await run(async () => onChanged((await api.endpoint('setRoomMarking')({ params: { roomId: room.id }, body: { marking } })).room));
  }

  return (
    <>
      <select aria-label={t('adminRooms.markingOf', { name })} value={room.marking} disabled={busy} onChange={(e) => void choose(RoomMarking.parse(e.target.value))}>
        {RoomMarking.options.map((marking) => (
          <option key={marking} value={marking}>
            {t(`adminRooms.markings.${marking}`)}
          </option>
        ))}
      </select>
      {room.marked && <div className="room-table__reason">{t('adminRooms.viewMarked')}</div>}
      <FormError message={error} />
    </>
  );
}
