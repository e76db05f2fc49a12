import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { navigate } from '../app/router';
import { useChat } from '../chat/chat-context';
import { usePeople } from '../people/people-context';
import { useRoomName } from '../rooms/use-room-name';
import { useMe } from '../session/session-context';
import { notificationKind } from './should-notify';

/**
 * Shows a browser notification for DMs and mentions while the tab is hidden; nothing leaves the browser for this.
 * Off work nothing pings: the server marks what reaches me then `quiet` (never an urgent message), the messages
 * arrive as usual and the mentions come back in the summary at my next start.
 */
export function DesktopNotifier() {
  const { t } = useTranslation();
  const me = useMe();
  const people = usePeople();
  const roomName = useRoomName();
  const { state, listen } = useChat();
  const latest = useRef({ rooms: state.rooms, people, roomName, t });
  useEffect(() => {
    latest.current = { rooms: state.rooms, people, roomName, t };
  });

  useEffect(
    () =>
      listen((event) => {
        if (event.type !== 'message.created' || event.quiet || typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
        const { rooms, people: directory, roomName: nameOf, t: translate } = latest.current;
        const { message } = event;
        const room = rooms?.find((r) => r.id === message.roomId);
        const kind = notificationKind(message, room, me.id, document.visibilityState === 'hidden');
        if (!kind || !room) return;
        const sender = directory.byId.get(message.senderId)?.displayName ?? translate('common.someone');
        const title = kind === 'mention' ? translate('notifications.mentionTitle', { name: sender, room: nameOf(room) }) : translate('notifications.dmTitle', { name: sender });
        const notification = new Notification(title, { body: message.text.slice(0, 200), tag: message.id, icon: '/icons/icon-192.png' });
        notification.onclick = () => {
          window.focus();
          navigate({ page: 'room', roomId: room.id });
          notification.close();
        };
      }),
    [listen, me.id],
  );
  return null;
}
