import type { User } from '@enclave/protocol';
import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { navigate } from '../app/router';
import { useChat } from '../chat/chat-context';
import { usePeople } from '../people/people-context';
import { useMe } from '../session/session-context';
import { PersonLabel } from '../ui/person-label';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';
import { matchesPerson } from './matches-person';

export function NewDirectMessageDialog({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const me = useMe();
  const people = usePeople();
  const { state, refreshRoom } = useChat();
  const [query, setQuery] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);

  useEffect(() => people.refresh(), [people.refresh]);

  async function talkTo(peer: User) {
    const existing = state.rooms?.find((room) => room.kind === 'dm' && room.dmPeerId === peer.id);
    setBusy(true);
    setError(undefined);
    try {
      const roomId = existing?.id ?? (await api.call('createRoom', { body: { kind: 'dm', memberIds: [peer.id] } })).room.id;
      if (!existing) await refreshRoom(roomId);
      navigate({ page: 'room', roomId });
      onClose();
    } catch (failure) {
      setError(describeError(failure));
      setBusy(false);
    }
  }

  const shown = people.list.filter((user) => user.id !== me.id && matchesPerson(user, query));
  return (
    <Dialog title={t('rooms.newDirectMessageTitle')} onClose={onClose}>
      <div className="dialog__body">
        <input
          type="search"
          className="member-picker__search"
          placeholder={t('rooms.findPeople')}
          aria-label={t('rooms.findPeople')}
          value={query}
          onChange={(event) => setQuery(event.target.value)}
          autoFocus
        />
        <ul className="person-list">
          {shown.map((user) => (
            <li key={user.id}>
              <button type="button" className="person-option person-option--button" disabled={busy} onClick={() => void talkTo(user)}>
                <PersonLabel user={user} />
              </button>
            </li>
          ))}
          {shown.length === 0 && <li className="muted member-picker__empty">{t('rooms.nobodyFound')}</li>}
        </ul>
        <FormError message={error} />
      </div>
    </Dialog>
  );
}
