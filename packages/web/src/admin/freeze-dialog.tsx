import type { Room } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-actions';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { useRoomLabel } from './room-label';
import type { AdminRoomRow } from './use-admin-rooms';

/** Makes rooms read-only; the reason is required because every member reads it in the room's banner. */
export function FreezeDialog({ rooms, onClose, onFrozen }: { rooms: AdminRoomRow[]; onClose: () => void; onFrozen: (rooms: Room[]) => void }) {
  const { t } = useTranslation();
  const label = useRoomLabel();
  const [reason, setReason] = useState('');
  const { busy, error, run } = useServerCall();
  const explainedId = useId();

  async function freeze(event: FormEvent) {
    event.preventDefault();
    await run(async () => onFrozen((await api.endpoint('bulkFreezeRooms')({ body: { roomIds: rooms.map((room) => room.id), reason: reason.trim() } })).rooms));
  }

  return (
    <Dialog title={t('adminRooms.freezeTitle', { count: rooms.length })} onClose={onClose}>
      <form className="dialog__body" onSubmit={freeze}>
        <p id={explainedId}>{t('adminRooms.freezeExplained')}</p>
        <ul className="room-list">
          {rooms.map((room) => (
            <li key={room.id}>{label(room)}</li>
          ))}
        </ul>
        <label className="field">
          <span>{t('adminRooms.reason')}</span>
          <textarea value={reason} onChange={(e) => setReason(e.target.value)} aria-describedby={explainedId} maxLength={500} rows={3} required />
        </label>
        <FormError message={error} />
        <DialogActions submitLabel={t('adminRooms.freeze')} disabled={busy || reason.trim() === ''} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
