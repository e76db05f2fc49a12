import type { User } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { Avatar } from '../ui/avatar';

export type MessageStatus = 'pending' | { failed: string; onRetry: () => void };

interface MessageItemProps {
  sender: User | undefined;
  text: string;
  createdAt: string;
  /** A follow-up from the same person shortly after: no second avatar and name. */
  continued: boolean;
  /** Only for my own messages the server has not stored yet. */
  status?: MessageStatus;
}

export function MessageItem({ sender, text, createdAt, continued, status }: MessageItemProps) {
  const { t, i18n } = useTranslation();
  const time = new Date(createdAt);
  const shortTime = new Intl.DateTimeFormat(i18n.language, { hour: 'numeric', minute: '2-digit' }).format(time);
  const fullTime = new Intl.DateTimeFormat(i18n.language, { dateStyle: 'full', timeStyle: 'short' }).format(time);
  const classes = ['message', continued ? 'message--continued' : '', status === 'pending' ? 'message--pending' : '', status && status !== 'pending' ? 'message--failed' : ''];

  return (
    <article className={classes.filter(Boolean).join(' ')} aria-busy={status === 'pending' || undefined}>
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
        {!continued && (
          <header className="message__header">
            <span className="message__sender">{sender?.displayName ?? t('common.someone')}</span>
            <time dateTime={createdAt} title={fullTime}>
              {shortTime}
            </time>
          </header>
        )}
        <p className="message__text">{text}</p>
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
    </article>
  );
}
