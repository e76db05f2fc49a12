import type { User } from '@enclave/protocol';
import type { ReactNode, SyntheticEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { GuestBadge } from '../protection/guest-badge';
import { Avatar } from '../ui/avatar';
import { useFormatTime } from '../ui/use-format-time';

export type MessageStatus = 'pending' | { failed: string; onRetry: () => void };

interface MessageItemProps {
  sender: User | undefined;
  /** The message says its sender was a guest: marked even when the directory does not know them (or no longer does). */
  senderGuest?: boolean;
  createdAt: string;
  /** A follow-up from the same person shortly after: no second avatar and name. */
  continued: boolean;
  /** The text, or what replaces it (the editor, "deleted"). */
  body: ReactNode;
  /** Only for my own messages the server has not stored yet. */
  status?: MessageStatus;
  /** Extra classes: mentions me, deleted, pinned. */
  className?: string;
  /** Above the text: "replied in a thread", "pinned". */
  before?: ReactNode;
  /** Below the text: reactions, thread summary, read status. */
  after?: ReactNode;
  /** The hover toolbar. */
  actions?: ReactNode;
  /** Shown next to the time, e.g. "(edited)". */
  note?: ReactNode;
  /** Added to the time's tooltip, e.g. the message's classification label. */
  detail?: string;
  /** The room, the label or the message forbids copying: no selecting, copying, cutting or context menu here. */
  noCopy?: boolean;
  /** A marked message's id (data-trace-message): text copied from it carries the viewer's trace code (see useCopyMarks). */
  traceMessageId?: string | undefined;
  /** Over the whole message: its watermark where the room's view has none. */
  overlay?: ReactNode;
}

/**
 * Only the message's own text is guarded: React also bubbles events from dialogs portalled out of the message,
 * and the author's editor inside it stays usable.
 */
const refuse = (event: SyntheticEvent) => {
  const target = event.target;
  if (target instanceof Node && event.currentTarget.contains(target) && !(target instanceof HTMLTextAreaElement)) event.preventDefault();
};
const copyBlockers = { onCopy: refuse, onCut: refuse, onContextMenu: refuse, onDragStart: refuse };

export function MessageItem({ sender, senderGuest = false, createdAt, continued, body, status, className, before, after, actions, note, detail, noCopy = false, traceMessageId, overlay }: MessageItemProps) {
  const { t } = useTranslation();
  const format = useFormatTime();
  const shortTime = format.time(createdAt);
  const fullTime = detail ? `${format.full(createdAt)} · ${detail}` : format.full(createdAt);
  const classes = [
    'message',
    continued ? 'message--continued' : '',
    status === 'pending' ? 'message--pending' : '',
    status && status !== 'pending' ? 'message--failed' : '',
    noCopy ? 'message--no-copy' : '',
    className ?? '',
  ];

  return (
    <article
      className={classes.filter(Boolean).join(' ')}
      aria-busy={status === 'pending' || undefined}
      data-trace-message={traceMessageId}
      {...(noCopy ? copyBlockers : {})}
    >
      <div className="message__gutter">
        {continued ? (
          <time className="message__hover-time" dateTime={createdAt} title={fullTime}>
            {shortTime}
          </time>
        ) : (
          <Avatar user={sender} />
        )}
      </div>
      <div className="message__body">
        {before}
        {!continued && (
          <header className="message__header">
            <span className="message__sender">{sender?.displayName ?? t('common.someone')}</span>
            <GuestBadge user={senderGuest ? { guest: true } : sender} />
            <time dateTime={createdAt} title={fullTime}>
              {shortTime}
            </time>
            {note}
          </header>
        )}
        {body}
        {continued && note}
        {after}
        {status === 'pending' && <span className="message__status">{t('room.sending')}</span>}
        {status && status !== 'pending' && (
          <span className="message__status message__status--failed" role="alert">
            {t('room.notSent', { reason: status.failed })}{' '}
            <button type="button" className="link-button" onClick={status.onRetry}>
              {t('room.retry')}
            </button>
          </span>
        )}
      </div>
      {actions}
      {overlay}
    </article>
  );
}
