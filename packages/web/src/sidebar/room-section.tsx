import type { RoomSummary } from '@enclave/protocol';
import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../app/router';
import { usePeople } from '../people/people-context';
import { GuestBadge } from '../protection/guest-badge';
import { useRoomName } from '../rooms/use-room-name';
import { RoomIcon } from '../rooms/room-icon';
import { PresenceDot } from '../presence/presence-dot';
import { PlusIcon } from '../ui/icons';

interface RoomSectionProps {
  title: string;
  addLabel: string;
  onAdd: () => void;
  rooms: RoomSummary[];
  openRoomId: string | undefined;
  children?: ReactNode;
}

export function RoomSection({ title, addLabel, onAdd, rooms, openRoomId, children }: RoomSectionProps) {
  const { t } = useTranslation();
  const roomName = useRoomName();
  const people = usePeople();
  const headingId = useId();
  return (
    <section className="room-section" aria-labelledby={headingId}>
      <div className="room-section__header">
        <h2 id={headingId}>{title}</h2>
        <button type="button" className="icon-button icon-button--quiet" aria-label={addLabel} title={addLabel} onClick={onAdd}>
          <PlusIcon />
        </button>
      </div>
      <ul className="room-section__list">
        {rooms.map((room) => (
          <li key={room.id}>
            <a
              href={`/rooms/${encodeURIComponent(room.id)}`}
              className={`room-link${room.unreadCount > 0 ? ' room-link--unread' : ''}${room.muted ? ' room-link--muted' : ''}`}
              aria-current={room.id === openRoomId ? 'page' : undefined}
              onClick={(event) => {
                event.preventDefault();
                navigate({ page: 'room', roomId: room.id });
              }}
            >
              <span className="room-link__icon">
                <RoomIcon room={room} />
                {room.kind === 'dm' && room.dmMemberIds.length === 1 && room.dmMemberIds[0] && <PresenceDot userId={room.dmMemberIds[0]} />}
              </span>
              <span className="room-link__name">{roomName(room)}</span>
              {room.kind === 'dm' && room.dmMemberIds.length === 1 && room.dmMemberIds[0] && <GuestBadge user={people.byId.get(room.dmMemberIds[0])} />}
              {room.muted && <span className="visually-hidden">{t('roomState.muted')}</span>}
              {room.mentionCount > 0 && (
                <span className="badge badge--mention">
                  <span aria-hidden="true">@{room.mentionCount}</span>
                  <span className="visually-hidden">{t('mentions.badge', { count: room.mentionCount })}</span>
                </span>
              )}
              {room.unreadCount > 0 && (
                <span className="badge">
                  <span aria-hidden="true">{room.unreadCount}</span>
                  <span className="visually-hidden">{t('sidebar.unread', { count: room.unreadCount })}</span>
                </span>
              )}
            </a>
          </li>
        ))}
      </ul>
      {children}
    </section>
  );
}
