import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../app/router';
import { useChat } from '../chat/chat-context';
import { useRoomName } from '../rooms/use-room-name';
import { RoomIcon } from '../rooms/room-icon';
import { Dialog } from '../ui/dialog';
import { filterRooms } from './filter-rooms';

/** Ctrl/Cmd+K: type part of a conversation's name, arrows to choose, Enter to go there. */
export function RoomSwitcher({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { state } = useChat();
  const roomName = useRoomName();
  const [query, setQuery] = useState('');
  const [highlight, setHighlight] = useState(0);
  const listId = useId();
  const shown = filterRooms(
    (state.rooms ?? []).map((room) => ({ room, name: roomName(room) })),
    query,
  );
  const active = shown[Math.min(highlight, shown.length - 1)];

  function go(roomId: string) {
    navigate({ page: 'room', roomId });
    onClose();
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      if (shown.length > 0) setHighlight((Math.min(highlight, shown.length - 1) + (event.key === 'ArrowDown' ? 1 : -1) + shown.length) % shown.length);
    } else if (event.key === 'Enter' && active) {
      event.preventDefault();
      go(active.room.id);
    }
  }

  return (
    <Dialog title={t('switcher.title')} onClose={onClose}>
      <div className="dialog__body switcher">
        <input
          type="text"
          className="member-picker__search"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={active ? `${listId}-${active.room.id}` : undefined}
          aria-label={t('switcher.search')}
          placeholder={t('switcher.search')}
          value={query}
          autoFocus
          onChange={(event) => {
            setQuery(event.target.value);
            setHighlight(0);
          }}
          onKeyDown={onKeyDown}
        />
        <ul id={listId} role="listbox" aria-label={t('switcher.title')} className="switcher__list">
          {shown.map(({ room, name }) => (
            <li
              key={room.id}
              id={`${listId}-${room.id}`}
              role="option"
              aria-selected={room.id === active?.room.id}
              className="switcher__option"
              onClick={() => go(room.id)}
            >
              <RoomIcon room={room} />
              <span>{name}</span>
              {room.unreadCount > 0 && <span className="badge">{room.unreadCount}</span>}
            </li>
          ))}
        </ul>
        {shown.length === 0 && <p className="muted">{t('switcher.none')}</p>}
      </div>
    </Dialog>
  );
}
