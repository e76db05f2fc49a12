import type { RoomSummary } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../app/router';
import { AddMembersDialog } from '../rooms/add-members-dialog';
import { RoomIcon } from '../rooms/room-icon';
import { BackIcon, PlusIcon } from '../ui/icons';

export function RoomHeader({ room, name }: { room: RoomSummary; name: string }) {
  const { t } = useTranslation();
  const [adding, setAdding] = useState(false);
  // Anyone in a channel may bring people in; a private group is curated by its owners; a DM stays two people.
  const canAddMembers = room.kind === 'channel' || (room.kind === 'group' && room.myRole === 'owner');

  return (
    <header className="room-header">
      <button type="button" className="icon-button room-header__back" aria-label={t('room.backToRooms')} onClick={() => navigate({ page: 'home' })}>
        <BackIcon />
      </button>
      <span className="room-header__icon">
        <RoomIcon room={room} />
      </span>
      <div className="room-header__title">
        <h1 id="room-title">{name}</h1>
        <span className="muted">{t('rooms.memberCount', { count: room.memberCount })}</span>
      </div>
      {canAddMembers && (
        <button type="button" className="button button--small" onClick={() => setAdding(true)}>
          <PlusIcon />
          {t('room.addMembers')}
        </button>
      )}
      {adding && <AddMembersDialog room={room} onClose={() => setAdding(false)} />}
    </header>
  );
}
