import { DM_MAX_OTHERS } from '@enclave/protocol';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { navigate } from '../app/router';
import { useChat } from '../chat/chat-context';
import { usePeople } from '../people/people-context';
import { useMe } from '../session/session-context';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-actions';
import { FormError } from '../ui/form-error';
import { MemberPicker } from './member-picker';

/** Pick one person for a DM or several for a group DM; the same people always get the same conversation back. */
export function NewDirectMessageDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const people = usePeople();
  const { state, refreshRoom } = useChat();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => people.refresh(), [people.refresh]);

  async function start(event: FormEvent) {
    event.preventDefault();
    if (selected.size === 0) return;
    if (selected.size > DM_MAX_OTHERS) return setError(t('groupDm.tooMany', { max: DM_MAX_OTHERS }));
    const wanted = [...selected].sort().join(',');
    const existing = state.rooms?.find((room) => room.kind === 'dm' && [...room.dmMemberIds].sort().join(',') === wanted);
    setBusy(true);
    setError(undefined);
    try {
      const roomId = existing?.id ?? (await api.endpoint('createRoom')({ body: { kind: 'dm', memberIds: [...selected] } })).room.id;
      if (!existing) await refreshRoom(roomId);
      navigate({ page: 'room', roomId });
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('rooms.newDirectMessageTitle')} onClose={onClose}>
      <form className="dialog__body" onSubmit={(event) => void start(event)}>
        <p className="muted">{t('groupDm.explained', { max: DM_MAX_OTHERS })}</p>
        <MemberPicker candidates={people.list.filter((user) => user.id !== me.id && !user.disabled)} selected={selected} onChange={setSelected} />
        <FormError message={error} />
        <DialogActions submitLabel={t('groupDm.start')} disabled={busy || selected.size === 0} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
