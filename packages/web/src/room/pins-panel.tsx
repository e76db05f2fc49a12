import type { Message } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { usePeople } from '../people/people-context';
import { FormError } from '../ui/form-error';
import { MessageItem } from './message-item';
import { MessageContent } from './message-content';
import { SidePanel } from './side-panel';

/** The room's pinned messages; `pinsKey` changes whenever a pin changes in the timeline, which refetches the list. */
export function PinsPanel({ roomId, pinsKey, onClose }: { roomId: string; pinsKey: string; onClose: () => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const [pins, setPins] = useState<Message[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    api.endpoint('listPins')({ params: { roomId } }).then(
      ({ messages }) => setPins(messages),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, [roomId, pinsKey]);
  return (
    <SidePanel title={t('pins.title')} closeLabel={t('pins.close')} onClose={onClose}>
      <FormError message={error} />
      {pins?.length === 0 && <p className="muted side-panel__empty">{t('pins.none')}</p>}
      <div className="side-panel__list">
        {pins?.map((message) => (
          <MessageItem key={message.id} sender={people.byId.get(message.senderId)} senderGuest={message.senderGuest} createdAt={message.createdAt} continued={false} body={<MessageContent message={message} />} />
        ))}
      </div>
    </SidePanel>
  );
}
