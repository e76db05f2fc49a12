import { useEffect, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { navigate } from '../app/router';
import { useChat } from '../chat/chat-context';
import { useLabels } from '../labels/labels-context';
import { usePeople } from '../people/people-context';
import { useMe } from '../session/session-context';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-actions';
import { FormError } from '../ui/form-error';
import { MemberPicker } from './member-picker';

export function NewRoomDialog({ kind, onClose }: { kind: 'channel' | 'group'; onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const people = usePeople();
  const { refreshRoom } = useChat();
  const [name, setName] = useState('');
  const [memberIds, setMemberIds] = useState<Set<string>>(new Set());
  const labels = useLabels();
  /** Empty: the server picks (Internal, or lower if a member's clearance is lower). */
  const [ceiling, setCeiling] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => people.refresh(), [people.refresh]);

  async function create(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(undefined);
    try {
      const { room } = await api.endpoint('createRoom')({ body: { kind, name: name.trim(), memberIds: [...memberIds], ...(ceiling ? { ceiling } : {}) } });
      await refreshRoom(room.id);
      navigate({ page: 'room', roomId: room.id });
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  return (
    <Dialog title={kind === 'channel' ? t('rooms.newChannelTitle') : t('rooms.newGroupTitle')} onClose={onClose}>
      <form className="dialog__body" onSubmit={create}>
        <p className="muted">{kind === 'channel' ? t('rooms.channelExplained') : t('rooms.groupExplained')}</p>
        <label className="field">
          <span>{t('rooms.name')}</span>
          <input value={name} onChange={(event) => setName(event.target.value)} maxLength={80} required autoFocus />
        </label>
        <MemberPicker candidates={people.list.filter((user) => user.id !== me.id)} selected={memberIds} onChange={setMemberIds} />
        <details className="new-room__advanced">
          <summary>{t('labels.advanced')}</summary>
          <label className="field">
            <span>{t('labels.ceiling')}</span>
            <select value={ceiling} onChange={(event) => setCeiling(event.target.value)}>
              <option value="">{t('labels.serverDefault')}</option>
              {labels.list.map((label) => (
                <option key={label.id} value={label.id}>
                  {labels.nameOf(label.id)}
                </option>
              ))}
            </select>
          </label>
        </details>
        <FormError message={error} />
        <DialogActions submitLabel={t('rooms.create')} disabled={busy || !name.trim()} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
