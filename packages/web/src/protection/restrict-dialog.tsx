import type { Message, MessageRestrictions } from '@enclave/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useChat } from '../chat/chat-context';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-actions';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';

const CHOICES = ['noForward', 'noCopy', 'noDownload'] as const;

/** The sender or a room owner forbids forwarding, copying or downloading one message, for everyone. */
export function RestrictDialog({ message, onClose }: { message: Message; onClose: () => void }) {
  const { t } = useTranslation();
  const { restrictMessage } = useChat();
  const [restrictions, setRestrictions] = useState<MessageRestrictions>(message.restrictions);
  const { busy, error, run } = useServerCall();

  async function save(event: FormEvent) {
    event.preventDefault();
    if (await run(() => restrictMessage(message.id, restrictions))) onClose();
  }

  return (
    <Dialog title={t('restrictions.title')} onClose={onClose}>
      <form className="dialog__body" onSubmit={(event) => void save(event)}>
        <p className="muted">{t('restrictions.explained')}</p>
        {CHOICES.map((choice) => (
          <label key={choice} className="checkbox">
            <input type="checkbox" checked={restrictions[choice]} onChange={(event) => setRestrictions({ ...restrictions, [choice]: event.target.checked })} />
            <span>{t(`restrictions.${choice}`)}</span>
          </label>
        ))}
        <FormError message={error} />
        <DialogActions submitLabel={t('restrictions.save')} disabled={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
