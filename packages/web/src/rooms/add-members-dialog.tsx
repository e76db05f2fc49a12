import type { RoomSummary } from '@enclave/protocol';
import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import { usePeople } from '../people/people-context';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-actions';
import { FormError } from '../ui/form-error';
import { MemberPicker } from './member-picker';

export function AddMembersDialog({ room, onClose }: { room: RoomSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const { roomChanged } = useChat();
  const [memberIds, setMemberIds] = useState<ReadonlySet<string> | undefined>();
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    people.refresh();
    api.endpoint('listMembers')({ params: { roomId: room.id } }).then(
      ({ members }) => setMemberIds(new Set(members.map((member) => member.userId))),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, [room.id, people.refresh]);

  async function add(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const answer = await api.endpoint('addMembers')({ params: { roomId: room.id }, body: { userIds: [...selected] } });
      roomChanged(answer.room);
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog title={t('room.addMembersTitle', { name: room.name ?? '' })} onClose={onClose}>
      <form className="dialog__body" onSubmit={add}>
        {memberIds ? (
          <MemberPicker candidates={people.list.filter((user) => !memberIds.has(user.id))} selected={selected} onChange={setSelected} />
        ) : (
          !error && <p className="muted">{t('common.loading')}</p>
        )}
        <FormError message={error} />
        <DialogActions submitLabel={t('room.add')} disabled={busy || selected.size === 0} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
