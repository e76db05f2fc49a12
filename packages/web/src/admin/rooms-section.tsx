import type { DeletionCertificate, Room } from '@enclave/protocol';
import { useDeferredValue, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { CertificateList } from './certificate-view';
import { DeleteDialog } from './delete-dialog';
import { FreezeDialog } from './freeze-dialog';
import { RoomFilters } from './room-filters';
import type { RoomActions } from './room-row';
import { RoomTable } from './room-table';
import { useAdminRooms, type AdminRoomRow, type RoomFilter } from './use-admin-rooms';
import { useDepartments } from './use-departments';

type OpenDialog = { step: 'freeze' | 'delete'; rooms: AdminRoomRow[] };

/** Room lifecycle: find rooms, freeze them with a reason, export them, delete them for good and keep the certificates. */
export function RoomsSection() {
  const { t } = useTranslation();
  const [filter, setFilter] = useState<RoomFilter>({ nameContains: '', departmentId: '', idleDays: 0 });
  const deferred = useDeferredValue(filter);
  const pages = useAdminRooms({ ...deferred, nameContains: deferred.nameContains.trim() });
  const { departments } = useDepartments();
  const [selectedIds, setSelectedIds] = useState<Set<string>>(new Set());
  const [dialog, setDialog] = useState<OpenDialog | undefined>();
  const [certificates, setCertificates] = useState<DeletionCertificate[]>([]);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const headingId = useId();

  // Only rooms on screen count as selected, so a bulk action never reaches a room the filter has hidden.
  const selected = pages.rooms.filter((room) => selectedIds.has(room.id));
  const selectedActive = selected.filter((room) => !room.frozen);
  const selectedFrozen = selected.filter((room) => room.frozen);

  async function unfreeze(rooms: AdminRoomRow[]) {
    setBusy(true);
    setError(undefined);
    try {
      const unfrozen: Room[] = [];
      for (const room of rooms) unfrozen.push((await api.endpoint('unfreezeRoom')({ params: { roomId: room.id } })).room);
      pages.replace(unfrozen);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setBusy(false);
    }
  }

  const actions: RoomActions = {
    freeze: (rooms) => setDialog({ step: 'freeze', rooms }),
    unfreeze: (rooms) => void unfreeze(rooms),
    delete: (rooms) => setDialog({ step: 'delete', rooms }),
    changed: (room) => pages.replace([room]),
  };

  function deleted(newCertificates: DeletionCertificate[]) {
    const gone = newCertificates.map((certificate) => certificate.roomId);
    pages.remove(gone);
    setSelectedIds((current) => new Set([...current].filter((id) => !gone.includes(id))));
    setCertificates((current) => [...newCertificates, ...current]);
    setDialog(undefined);
  }

  return (
    <>
      <section className="card card--wide" aria-labelledby={headingId}>
        <h2 id={headingId}>{t('adminRooms.title')}</h2>
        <p className="muted">{t('adminRooms.explained')}</p>
        <RoomFilters filter={filter} departments={departments} onChange={setFilter} />
        <div className="room-bulk-bar">
          <span role="status">{t('adminRooms.selected', { count: selected.length })}</span>
          <button type="button" className="button button--small" disabled={busy || selectedActive.length === 0} onClick={() => actions.freeze(selectedActive)}>
            {t('adminRooms.freezeSelected')}
          </button>
          <button type="button" className="button button--small" disabled={busy || selectedFrozen.length === 0} onClick={() => actions.unfreeze(selectedFrozen)}>
            {t('adminRooms.unfreezeSelected')}
          </button>
          <button
            type="button"
            className="button button--small button--danger"
            disabled={busy || selected.length === 0 || selectedActive.length > 0}
            onClick={() => actions.delete(selected)}
          >
            {t('adminRooms.deleteSelected')}
          </button>
          {selectedActive.length > 0 && <span className="muted">{t('adminRooms.deleteNeedsFrozen')}</span>}
        </div>
        <FormError message={error ?? pages.error} />
        <RoomTable rooms={pages.rooms} selectedIds={selectedIds} onSelectionChange={setSelectedIds} actions={actions} busy={busy} labelledBy={headingId} />
        {pages.rooms.length === 0 && <p className="muted">{t('adminRooms.noMatches')}</p>}
        {pages.hasMore && (
          <button type="button" className="button" onClick={pages.loadMore}>
            {t('adminRooms.loadMore')}
          </button>
        )}
      </section>
      {certificates.length > 0 && <CertificateList certificates={certificates} />}
      {dialog?.step === 'freeze' && (
        <FreezeDialog
          rooms={dialog.rooms}
          onClose={() => setDialog(undefined)}
          onFrozen={(rooms) => {
            pages.replace(rooms);
            setDialog(undefined);
          }}
        />
      )}
      {dialog?.step === 'delete' && <DeleteDialog rooms={dialog.rooms} onClose={() => setDialog(undefined)} onDeleted={deleted} />}
    </>
  );
}
