import type { ScheduledMessage } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import { useRoomName } from '../rooms/use-room-name';
import { FormError } from '../ui/form-error';
import { ScheduledItem } from './scheduled-item';

/**
 * My scheduled messages, soonest first, and those that failed when they were due. Read again whenever one settles
 * (the stream's scheduled.settled bumps `scheduledRevision`), so a message that went leaves and a failed one shows.
 */
export function ScheduledView() {
  const { t } = useTranslation();
  const roomName = useRoomName();
  const { state } = useChat();
  const [items, setItems] = useState<ScheduledMessage[] | undefined>();
  const [error, setError] = useState<string | undefined>();

  useEffect(() => {
    api.endpoint('listScheduledMessages')().then(
      ({ scheduled }) => setItems(scheduled),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, [state.scheduledRevision]);

  const nameOf = (roomId: string) => {
    const room = state.rooms?.find((r) => r.id === roomId);
    return room ? roomName(room) : t('scheduled.unknownRoom');
  };
  return (
    <section className="scheduled" aria-labelledby="scheduled-title">
      <header className="room-header">
        <div className="room-header__title">
          <h1 id="scheduled-title">{t('scheduled.title')}</h1>
          <span className="muted">{t('scheduled.subtitle')}</span>
        </div>
      </header>
      <FormError message={error} />
      <div className="scheduled__body">
        {items?.length === 0 && <p className="muted">{t('scheduled.none')}</p>}
        <ul className="scheduled__list" aria-label={t('scheduled.title')}>
          {items?.map((item) => (
            <ScheduledItem
              key={item.id}
              item={item}
              roomName={nameOf(item.roomId)}
              onChanged={(changed) => setItems((current) => sortedBySendTime((current ?? []).map((one) => (one.id === changed.id ? changed : one))))}
              onGone={(id) => setItems((current) => current?.filter((one) => one.id !== id))}
            />
          ))}
        </ul>
      </div>
    </section>
  );
}

function sortedBySendTime(items: ScheduledMessage[]): ScheduledMessage[] {
  return [...items].sort((a, b) => a.sendAt.localeCompare(b.sendAt));
}
