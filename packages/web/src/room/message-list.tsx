import type { Message } from '@enclave/protocol';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { PendingMessage, Timeline } from '../chat/chat-state';
import { useMe } from '../session/session-context';
import { useFormatTime } from '../ui/use-format-time';
import { DayDivider } from './day-divider';
import { MessageItem } from './message-item';
import { MessageText } from './message-text';
import { StoredMessage } from './stored-message';
import { useScrollAnchor } from './use-scroll-anchor';

interface MessageListProps {
  roomName: string;
  timeline: Timeline | undefined;
  pending: PendingMessage[];
  loadingOlder: boolean;
  onLoadOlder: () => void;
  onRetry: (message: PendingMessage) => void;
}

/** Messages closer together than this from the same person read as one block under one name. */
const GROUPING_WINDOW_MS = 5 * 60 * 1000;

/** The room's main timeline (thread replies stay in their thread unless also sent to the room). */
export function MessageList({ roomName, timeline, pending, loadingOlder, onLoadOlder, onRetry }: MessageListProps) {
  const { t } = useTranslation();
  const me = useMe();
  const format = useFormatTime();
  const messages = timeline?.messages ?? [];
  const hasMore = timeline?.hasMore ?? false;
  const scroller = useScrollAnchor({ messages, pendingCount: pending.length, myId: me.id, hasMore, loadingOlder, onLoadOlder });

  return (
    <div className="message-list" ref={scroller.ref} onScroll={scroller.onScroll}>
      {hasMore && (
        <div className="message-list__older">
          <button type="button" className="button button--small" disabled={loadingOlder} onClick={onLoadOlder}>
            {loadingOlder ? t('common.loading') : t('room.loadOlder')}
          </button>
        </div>
      )}
      {timeline?.loaded && !hasMore && (
        <p className="message-list__start muted">{t('room.start', { name: roomName })}</p>
      )}
      <div role="log" aria-live="polite" aria-label={t('room.messagesLabel', { name: roomName })} className="message-list__log">
        {messages.map((message, index) => {
          const previous = messages[index - 1];
          const newDay = !previous || format.dayKey(previous.createdAt) !== format.dayKey(message.createdAt);
          return (
            <Fragment key={message.id}>
              {newDay && <DayDivider at={message.createdAt} />}
              <StoredMessage message={message} continued={!newDay && continues(previous, message)} inThread={false} />
            </Fragment>
          );
        })}
        {pending.map((message) => (
          <MessageItem
            key={message.clientId}
            sender={me}
            body={<MessageText message={message} />}
            createdAt={message.createdAt}
            continued={false}
            status={message.error ? { failed: message.error, onRetry: () => onRetry(message) } : 'pending'}
          />
        ))}
      </div>
    </div>
  );
}

function continues(previous: Message | undefined, message: Message): boolean {
  if (!previous || previous.senderId !== message.senderId) return false;
  return Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUPING_WINDOW_MS;
}
