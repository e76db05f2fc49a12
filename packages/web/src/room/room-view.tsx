import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-context';
import { useRoomName } from '../rooms/use-room-name';
import { Composer } from './composer';
import { MessageList } from './message-list';
import { RoomHeader } from './room-header';
import { useRoomTimeline } from './use-room-timeline';

export function RoomView({ roomId }: { roomId: string }) {
  const { t } = useTranslation();
  const { state, markRead, send, retry } = useChat();
  const roomName = useRoomName();
  const { timeline, error, loadingOlder, loadOlder } = useRoomTimeline(roomId);
  const room = state.rooms?.find((r) => r.id === roomId);
  const newest = timeline?.messages.at(-1);

  // Reading happens by looking: whatever arrives while the room is open counts as read.
  useEffect(() => {
    if (room && newest && newest.position > room.lastReadPosition) markRead(roomId, newest.id);
  }, [room, newest, roomId, markRead]);

  if (!state.rooms) return <p className="room-placeholder muted">{t('common.loading')}</p>;
  if (!room) {
    return (
      <div className="empty-state">
        <h1>{t('room.notFoundTitle')}</h1>
        <p className="muted">{t('room.notFound')}</p>
      </div>
    );
  }

  const name = roomName(room);
  return (
    <section className="room" aria-labelledby="room-title">
      <RoomHeader room={room} name={name} />
      {error && (
        <p className="form-error room__error" role="alert">
          {error}
        </p>
      )}
      <MessageList
        roomName={name}
        timeline={timeline}
        pending={state.pending[roomId] ?? []}
        loadingOlder={loadingOlder}
        onLoadOlder={loadOlder}
        onRetry={retry}
      />
      <Composer roomName={room.kind === 'channel' ? `#${name}` : name} onSend={(text) => send(roomId, text)} />
    </section>
  );
}
