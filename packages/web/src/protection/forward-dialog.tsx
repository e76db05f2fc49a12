import type { Message } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import { RoomIcon } from '../rooms/room-icon';
import { useRoomName } from '../rooms/use-room-name';
import { filterRooms } from '../switcher/filter-rooms';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';
import { useOutbox } from './outbox-context';
import { refusalOf } from './refusal';
import { useRuleList } from './rule-list';

/**
 * Picks one of my rooms to forward a message into. The server decides what may go where (label ceilings,
 * forwarding policies, guests) and this dialog shows its reason when it refuses.
 */
export function ForwardDialog({ message, onClose }: { message: Message; onClose: () => void }) {
  const { t } = useTranslation();
  const { state } = useChat();
  const outbox = useOutbox();
  const roomName = useRoomName();
  const ruleList = useRuleList();
  const [query, setQuery] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [held, setHeld] = useState(false);
  const candidates = (state.rooms ?? []).filter((room) => room.id !== message.roomId && room.frozen === null).map((room) => ({ room, name: roomName(room) }));
  const shown = filterRooms(candidates, query);

  async function forwardTo(roomId: string) {
    setBusy(true);
    setError(undefined);
    try {
      const outcome = await outbox.forward(message, roomId);
      if (outcome === 'done') return onClose();
      setHeld(outcome === 'held');
    } catch (failure) {
      const refusal = refusalOf(failure);
      setError(refusal?.kind === 'blocked' ? `${describeError(failure)} ${ruleList(refusal.rules)}` : describeError(failure));
    }
    setBusy(false);
  }

  return (
    <Dialog title={t('forward.title')} onClose={onClose}>
      <div className="dialog__body forward">
        {held ? (
          <p className="notice" role="status">
            {t('forward.held')}
          </p>
        ) : (
          <>
            <input
              type="search"
              className="member-picker__search"
              aria-label={t('forward.search')}
              placeholder={t('forward.search')}
              value={query}
              autoFocus
              onChange={(event) => setQuery(event.target.value)}
            />
            <ul className="person-list forward__rooms">
              {shown.map(({ room, name }) => (
                <li key={room.id}>
                  <button type="button" className="person-option person-option--button" disabled={busy} aria-label={t('forward.to', { name })} onClick={() => void forwardTo(room.id)}>
                    <RoomIcon room={room} />
                    <span className="person-option__name">{name}</span>
                  </button>
                </li>
              ))}
              {shown.length === 0 && <li className="muted member-picker__empty">{t('forward.none')}</li>}
            </ul>
          </>
        )}
        <FormError message={error} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            {held ? t('common.close') : t('common.cancel')}
          </button>
        </div>
      </div>
    </Dialog>
  );
}
