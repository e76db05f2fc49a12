import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { RoomRow, type RoomActions } from './room-row';
import type { AdminRoomRow } from './use-admin-rooms';

interface RoomTableProps {
  rooms: AdminRoomRow[];
  selectedIds: ReadonlySet<string>;
  onSelectionChange: (selectedIds: Set<string>) => void;
  actions: RoomActions;
  busy: boolean;
  labelledBy: string;
}

export function RoomTable({ rooms, selectedIds, onSelectionChange, actions, busy, labelledBy }: RoomTableProps) {
  const { t } = useTranslation();
  const selectedShown = rooms.filter((room) => selectedIds.has(room.id)).length;
  const allShown = rooms.length > 0 && selectedShown === rooms.length;
  const selectAll = useRef<HTMLInputElement>(null);

  useEffect(() => {
    // "Some but not all" has no attribute in HTML; it is a property only.
    if (selectAll.current) selectAll.current.indeterminate = selectedShown > 0 && !allShown;
  }, [selectedShown, allShown]);

  function select(roomId: string, on: boolean) {
    const next = new Set(selectedIds);
    if (on) next.add(roomId);
    else next.delete(roomId);
    onSelectionChange(next);
  }

  return (
    <div className="room-table__scroller">
      <table className="room-table" aria-labelledby={labelledBy}>
        <thead>
          <tr>
            <th scope="col">
              <input
                ref={selectAll}
                type="checkbox"
                checked={allShown}
                disabled={rooms.length === 0}
                aria-label={t('adminRooms.selectAllShown')}
                onChange={(e) => onSelectionChange(new Set(e.target.checked ? rooms.map((room) => room.id) : []))}
              />
            </th>
            <th scope="col">{t('adminRooms.room')}</th>
            <th scope="col">{t('adminRooms.kind')}</th>
            <th scope="col">{t('adminRooms.members')}</th>
            <th scope="col">{t('adminRooms.owners')}</th>
            <th scope="col">{t('adminRooms.lastActivity')}</th>
            <th scope="col">{t('adminRooms.state')}</th>
            <th scope="col">{t('adminRooms.marking')}</th>
            <th scope="col">{t('adminRooms.actions')}</th>
          </tr>
        </thead>
        <tbody>
          {rooms.map((room) => (
            <RoomRow key={room.id} room={room} selected={selectedIds.has(room.id)} onSelect={(on) => select(room.id, on)} actions={actions} busy={busy} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
