import type { DeletionCertificate } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';
import { ExportLinks } from './export-links';
import { useRoomLabel } from './room-label';
import type { AdminRoomRow } from './use-admin-rooms';

interface DeleteDialogProps {
  rooms: AdminRoomRow[];
  onClose: () => void;
  onDeleted: (certificates: DeletionCertificate[]) => void;
}

/**
 * The last, irreversible step. The admin types a word before the button wakes up, so a stray click or Enter cannot
 * erase rooms; the export links sit right here for whatever has to be kept.
 */
export function DeleteDialog({ rooms, onClose, onDeleted }: DeleteDialogProps) {
  const { t } = useTranslation();
  const label = useRoomLabel();
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const warningId = useId();
  const word = t('adminRooms.confirmWord');
  const confirmed = typed.trim() === word;

  async function remove(event: FormEvent) {
    event.preventDefault();
    if (!confirmed) return;
    setBusy(true);
    setError(undefined);
    try {
      onDeleted((await api.endpoint('bulkDeleteRooms')({ body: { roomIds: rooms.map((room) => room.id) } })).certificates);
    } catch (failure) {
      setError(explain(failure));
      setBusy(false);
    }
  }

  // Someone may have unfrozen a room since the list loaded; the server then deletes nothing and names the rooms.
  function explain(failure: unknown): string {
    const notFrozen = failure instanceof EnclaveApiError && failure.code === 'ROOM_NOT_FROZEN' ? failure.data?.['roomIds'] : undefined;
    if (!Array.isArray(notFrozen)) return describeError(failure);
    const names = rooms.filter((room) => notFrozen.includes(room.id)).map(label);
    return `${describeError(failure)} ${t('adminRooms.notFrozen', { names: names.join(', ') })}`;
  }

  return (
    <Dialog title={t('adminRooms.deleteTitle', { count: rooms.length })} onClose={onClose}>
      <form className="dialog__body" onSubmit={remove}>
        <p id={warningId} className="room-warning">
          {t('adminRooms.irreversible')}
        </p>
        <p>{t('adminRooms.exportFirst')}</p>
        <ul className="room-list">
          {rooms.map((room) => (
            <li key={room.id} className="room-list__item">
              <span>{label(room)}</span>
              <ExportLinks roomId={room.id} roomLabel={label(room)} />
            </li>
          ))}
        </ul>
        <label className="field">
          <span>{t('adminRooms.typeToConfirm', { word })}</span>
          <input value={typed} onChange={(e) => setTyped(e.target.value)} aria-describedby={warningId} autoComplete="off" spellCheck={false} />
        </label>
        <FormError message={error} />
        <div className="dialog__actions">
          <button type="button" className="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="button button--danger" disabled={busy || !confirmed}>
            {t('adminRooms.deleteForGood')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
