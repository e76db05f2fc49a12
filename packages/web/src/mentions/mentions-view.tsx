import type { Message } from '@enclave/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { messageRoute, navigate, pathOf } from '../app/router';
import { useChat } from '../chat/chat-context';
import { usePeople } from '../people/people-context';
import { MessageItem } from '../room/message-item';
import { MessageText } from '../room/message-text';
import { useRoomName } from '../rooms/use-room-name';
import { FormError } from '../ui/form-error';

const PAGE = 30;

/** Every message that mentions me, newest first, each leading to its room. */
export function MentionsView() {
  const { t } = useTranslation();
  const people = usePeople();
  const roomName = useRoomName();
  const { state } = useChat();
  const [messages, setMessages] = useState<Message[] | undefined>();
  const [hasMore, setHasMore] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const mentionTotal = (state.rooms ?? []).reduce((sum, room) => sum + room.mentionCount, 0);

  const load = useCallback((before?: string) => {
    api.endpoint('listMentions')({ query: { limit: PAGE, before } }).then(
      (answer) => {
        setMessages((current) => [...(before ? (current ?? []) : []), ...answer.messages]);
        setHasMore(answer.hasMore);
      },
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  // Refetched when a new mention arrives (the badge total changes), so the view stays current while open.
  useEffect(() => load(), [load, mentionTotal]);

  return (
    <section className="mentions" aria-labelledby="mentions-title">
      <header className="room-header">
        <div className="room-header__title">
          <h1 id="mentions-title">{t('mentions.title')}</h1>
          <span className="muted">{t('mentions.subtitle')}</span>
        </div>
      </header>
      <FormError message={error} />
      <div className="message-list">
        {messages?.length === 0 && <p className="message-list__start muted">{t('mentions.none')}</p>}
        <div role="feed" aria-label={t('mentions.title')}>
          {messages?.map((message) => {
            const room = state.rooms?.find((r) => r.id === message.roomId);
            return (
              <a
                key={message.id}
                href={pathOf(messageRoute(message))}
                className="mention-link"
                onClick={(event) => {
                  event.preventDefault();
                  navigate(messageRoute(message));
                }}
              >
                <MessageItem
                  sender={people.byId.get(message.senderId)}
                  senderGuest={message.senderGuest}
                  createdAt={message.createdAt}
                  continued={false}
                  className="message--mentions-me"
                  before={room && <span className="mention-link__room">{t('mentions.inRoom', { name: roomName(room) })}</span>}
                  body={
                    message.deleted || message.recalled ? (
                      <p className="message__text message__text--deleted">{t(message.deleted ? 'conversation.deleted' : 'recall.recalled')}</p>
                    ) : message.unreadable ? (
                      <p className="message__text message__text--deleted">{t('conversation.unreadable')}</p>
                    ) : (
                      <MessageText message={message} />
                    )
                  }
                />
              </a>
            );
          })}
        </div>
        {hasMore && messages && (
          <div className="message-list__older">
            <button type="button" className="button button--small" onClick={() => load(messages.at(-1)?.id)}>
              {t('room.loadOlder')}
            </button>
          </div>
        )}
      </div>
    </section>
  );
}
