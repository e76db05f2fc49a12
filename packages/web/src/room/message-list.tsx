import type { MembershipLine, Message } from '@enclave/protocol';
import { Fragment } from 'react';
import { useTranslation } from 'react-i18next';
import type { PendingMessage } from '../chat/chat-state';
import type { Timeline } from '../chat/timeline-window';
import { useMe } from '../session/session-context';
import { useFormatTime } from '../ui/use-format-time';
import { DayDivider } from './day-divider';
import { MembershipLineItem } from './membership-line-item';
import { MessageItem } from './message-item';
import { PendingBody } from './pending-body';
import { NewerBar } from './newer-bar';
import { StoredMessage } from './stored-message';
import { useScrollAnchor } from './use-scroll-anchor';

interface MessageListProps {
  roomName: string;
  timeline: Timeline | undefined;
  /** Who came and went within the stretch the timeline holds (linesShown), oldest first; none in direct messages. */
  membershipLines: MembershipLine[];
  pending: PendingMessage[];
  loadingOlder: boolean;
  onLoadOlder: () => void;
  /** The timeline is a stretch of the past: newer pages load below it, or the reader jumps to the newest. */
  hasNewer: boolean;
  loadingNewer: boolean;
  onLoadNewer: () => void;
  onJumpToNewest: () => void;
  /** The message the room was opened at, centred and marked. */
  focusId: string | undefined;
  onRetry: (message: PendingMessage) => void;
}

/** Messages closer together than this from the same person read as one block under one name. */
const GROUPING_WINDOW_MS = 5 * 60 * 1000;

/** The room's main timeline (thread replies stay in their thread unless also sent to the room). */
export function MessageList({ roomName, timeline, membershipLines, pending, loadingOlder, onLoadOlder, hasNewer, loadingNewer, onLoadNewer, onJumpToNewest, focusId, onRetry }: MessageListProps) {
  const { t } = useTranslation();
  const me = useMe();
  const format = useFormatTime();
  const messages = timeline?.messages ?? [];
  const hasMore = timeline?.hasMore ?? false;
  const scroller = useScrollAnchor({ messages, pendingCount: pending.length, myId: me.id, hasMore, loadingOlder, onLoadOlder, hasNewer, loadingNewer, onLoadNewer, focusId });

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
          const linesBefore = membershipLines.filter((line) => line.position < message.position && line.position > (previous?.position ?? Number.NEGATIVE_INFINITY));
          return (
            <Fragment key={message.id}>
              {linesBefore.map((line) => (
                <MembershipLineItem key={`line-${line.position}`} line={line} />
              ))}
              {newDay && <DayDivider at={message.createdAt} />}
              <StoredMessage message={message} continued={!newDay && continues(previous, message)} inThread={false} focused={message.id === focusId} />
            </Fragment>
          );
        })}
        {membershipLines
          .filter((line) => line.position > (messages.at(-1)?.position ?? Number.NEGATIVE_INFINITY))
          .map((line) => (
            <MembershipLineItem key={`line-${line.position}`} line={line} />
          ))}
        {pending.map((message) => (
          <MessageItem
            key={message.clientId}
            sender={me}
            body={<PendingBody message={message} />}
            createdAt={message.createdAt}
            continued={false}
            status={message.error ? { failed: message.error, onRetry: () => onRetry(message) } : 'pending'}
          />
        ))}
      </div>
      {hasNewer && <NewerBar loading={loadingNewer} onLoadNewer={onLoadNewer} onJumpToNewest={onJumpToNewest} />}
    </div>
  );
}

function continues(previous: Message | undefined, message: Message): boolean {
  if (!previous || previous.senderId !== message.senderId) return false;
  return Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUPING_WINDOW_MS;
}
