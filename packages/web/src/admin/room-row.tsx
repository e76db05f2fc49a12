import type { Room } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../people/people-context';
import { useFormatTime } from '../ui/use-format-time';
import { ExportLinks } from './export-links';
import { useRoomLabel } from './room-label';
import { RoomMarkingSelect } from './room-marking-select';
import type { AdminRoomRow } from './use-admin-rooms';

export interface RoomActions {
  freeze(rooms: AdminRoomRow[]): void;
  unfreeze(rooms: AdminRoomRow[]): void;
  delete(rooms: AdminRoomRow[]): void;
  /** Puts the server's fresh copy of a room in place after a change made in its row. */
  changed(room: Room): void;
}

/**
 * One room: what it is, who owns it, whether it is frozen and why, where it is watermarked, and the lifecycle step
 * that comes next.
 */
export function RoomRow({ room, selected, onSelect, actions, busy }: { room: AdminRoomRow; selected: boolean; onSelect: (on: boolean) => void; actions: RoomActions; busy: boolean }) {
  const { t } = useTranslation();
  const people = usePeople();
  const format = useFormatTime();
  const name = useRoomLabel()(room);
  const owners = room.ownerIds.map((id) => people.byId.get(id)?.displayName ?? t('common.someone'));

  return (
    <tr className={room.frozen ? 'room-table__row room-table__row--frozen' : 'room-table__row'}>
      <td>
        <input type="checkbox" checked={selected} onChange={(e) => onSelect(e.target.checked)} aria-label={t('adminRooms.selectRoom', { name })} />
      </td>
      <th scope="row" className="room-table__name">
        {name}
      </th>
      <td>{t(`adminRooms.kinds.${room.kind}`)}</td>
      <td className="room-table__number">{room.memberCount}</td>
      <td>{owners.length > 0 ? owners.join(', ') : <span className="muted">{t('adminRooms.noOwners')}</span>}</td>
      <td>
        {room.lastMessageAt ? (
          <time dateTime={room.lastMessageAt} title={format.full(room.lastMessageAt)}>
            {format.day(room.lastMessageAt)}
          </time>
        ) : (
          <span className="muted">{t('adminRooms.noMessages')}</span>
        )}
      </td>
      <td>
        {room.frozen ? (
          <>
            <span className="room-state room-state--frozen">{t('adminRooms.frozen')}</span>
            <div className="room-table__reason">{room.frozen.reason}</div>
          </>
        ) : (
          <span className="room-state">{t('adminRooms.active')}</span>
        )}
      </td>
      <td>
        <RoomMarkingSelect room={room} name={name} onChanged={actions.changed} />
      </td>
      <td>
        <div className="room-table__actions">
          {room.frozen ? (
            <>
              <button type="button" className="button button--small" disabled={busy} aria-label={t('adminRooms.unfreezeNamed', { name })} onClick={() => actions.unfreeze([room])}>
                {t('adminRooms.unfreeze')}
              </button>
              <ExportLinks roomId={room.id} roomLabel={name} />
              <button type="button" className="button button--small button--danger" disabled={busy} aria-label={t('adminRooms.deleteNamed', { name })} onClick={() => actions.delete([room])}>
                {t('adminRooms.delete')}
              </button>
            </>
          ) : (
            <button type="button" className="button button--small" disabled={busy} aria-label={t('adminRooms.freezeNamed', { name })} onClick={() => actions.freeze([room])}>
              {t('adminRooms.freeze')}
            </button>
          )}
        </div>
      </td>
    </tr>
  );
}
