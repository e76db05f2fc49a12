import type { Message } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { usePeople } from '../people/people-context';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';
import { PersonLabel } from '../ui/person-label';
import { useFormatTime } from '../ui/use-format-time';
import type { ReadStatus } from './read-status';

/** "Read" or "Read by 3 of 5" under my own message; clicking it lists who read it and when. */
export function ReadStatusButton({ message, status }: { message: Message; status: ReadStatus }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const label =
    status.kind === 'dm' ? (status.read ? t('readStatus.read') : t('readStatus.sent')) : t('readStatus.readBy', { read: status.read, of: status.of });
  return (
    <>
      <button type="button" className={`read-status${isRead(status) ? ' read-status--read' : ''}`} onClick={() => setOpen(true)}>
        {label}
      </button>
      {open && <ReadersDialog messageId={message.id} onClose={() => setOpen(false)} />}
    </>
  );
}

function isRead(status: ReadStatus): boolean {
  return status.kind === 'dm' ? status.read : status.read > 0 && status.read === status.of;
}

function ReadersDialog({ messageId, onClose }: { messageId: string; onClose: () => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const format = useFormatTime();
  const [readers, setReaders] = useState<{ userId: string; readAt: string }[] | undefined>();
  const [error, setError] = useState<string | undefined>();
  useEffect(() => {
    api.endpoint('messageReaders')({ params: { messageId } }).then(
      (answer) => setReaders(answer.readers),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, [messageId]);
  return (
    <Dialog title={t('readStatus.readersTitle')} onClose={onClose}>
      <div className="dialog__body">
        <FormError message={error} />
        {!readers && !error && <p className="muted">{t('common.loading')}</p>}
        {readers?.length === 0 && <p className="muted">{t('readStatus.notYet')}</p>}
        <ul className="person-list readers">
          {readers?.map((reader) => {
            const user = people.byId.get(reader.userId);
            return (
              <li key={reader.userId} className="person-option">
                {user ? <PersonLabel user={user} /> : t('common.someone')}
                <time className="muted readers__time" dateTime={reader.readAt} title={format.full(reader.readAt)}>
                  {t('readStatus.readAt', { time: format.time(reader.readAt) })}
                </time>
              </li>
            );
          })}
        </ul>
      </div>
    </Dialog>
  );
}
