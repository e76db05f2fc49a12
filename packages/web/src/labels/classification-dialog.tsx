import type { RoomSummary } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import { usePeople } from '../people/people-context';
import { Dialog } from '../ui/dialog';
import { DialogActions } from '../ui/dialog-actions';
import { FormError } from '../ui/form-error';
import { LabelSelect } from './label-select';
import { useLabels } from './labels-context';

/** Changes a room's ceiling and default label; lowering the ceiling under existing content needs an explicit yes. */
export function ClassificationDialog({ room, onClose }: { room: RoomSummary; onClose: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const people = usePeople();
  const { roomChanged } = useChat();
  const [ceiling, setCeiling] = useState(room.ceiling);
  const [defaultLabel, setDefaultLabel] = useState(room.defaultLabel);
  const [error, setError] = useState<string | undefined>();
  /** Set once the server said the room holds content above the new ceiling. */
  const [downgrade, setDowngrade] = useState<{ message: string; acknowledged: boolean } | undefined>();
  const [busy, setBusy] = useState(false);

  function chooseCeiling(next: string) {
    setCeiling(next);
    if (labels.isAbove(defaultLabel, next)) setDefaultLabel(next);
    setDowngrade(undefined);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    if (ceiling === room.ceiling && defaultLabel === room.defaultLabel) return onClose();
    setBusy(true);
    setError(undefined);
    try {
      const body = {
        ...(ceiling !== room.ceiling ? { ceiling } : {}),
        ...(defaultLabel !== room.defaultLabel ? { defaultLabel } : {}),
        ...(downgrade?.acknowledged ? { acknowledgeDowngrade: true } : {}),
      };
      roomChanged((await api.call('updateRoom', { params: { roomId: room.id }, body })).room);
      onClose();
    } catch (failure) {
      if (failure instanceof EnclaveApiError && failure.code === 'CEILING_BELOW_CONTENT') setDowngrade({ message: failure.message, acknowledged: false });
      else setError(withUncleared(describeError(failure), failure));
      setBusy(false);
    }
  }

  /** The server names the members whose clearance is too low; the reader needs their names, not ids. */
  function withUncleared(message: string, failure: unknown): string {
    const ids = failure instanceof EnclaveApiError && Array.isArray(failure.data?.userIds) ? failure.data.userIds : [];
    const names = ids.map((id) => people.byId.get(String(id))?.displayName ?? t('common.someone'));
    return names.length > 0 ? `${message} ${t('labels.notCleared', { names: names.join(', ') })}` : message;
  }

  return (
    <Dialog title={t('labels.classificationTitle')} onClose={onClose}>
      <form className="dialog__body" onSubmit={save}>
        <p className="muted">{t('labels.classificationExplained')}</p>
        <LabelSelect label={t('labels.ceiling')} options={labels.list} value={ceiling} onChange={chooseCeiling} />
        <LabelSelect label={t('labels.defaultLabel')} options={labels.upTo(ceiling)} value={defaultLabel} onChange={setDefaultLabel} />
        {downgrade && (
          <div className="label-downgrade" role="alert">
            <p>{downgrade.message}</p>
            <label className="checkbox">
              <input type="checkbox" checked={downgrade.acknowledged} onChange={(e) => setDowngrade({ ...downgrade, acknowledged: e.target.checked })} />
              <span>{t('labels.acknowledgeDowngrade', { name: labels.nameOf(ceiling) })}</span>
            </label>
          </div>
        )}
        <FormError message={error} />
        <DialogActions
          submitLabel={downgrade ? t('labels.lowerCeiling') : t('labels.save')}
          disabled={busy || (downgrade !== undefined && !downgrade.acknowledged)}
          onCancel={onClose}
        />
      </form>
    </Dialog>
  );
}
