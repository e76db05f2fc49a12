import type { RetentionScope } from '@enclave/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { useLabels } from '../labels/labels-context';
import { LabelSelect } from '../labels/label-select';
import { FormError } from '../ui/form-error';

/** Sets the policy of the organisation, a room (by id) or a label; an empty age says nothing about it. */
export function RetentionForm({ onSaved }: { onSaved: () => void }) {
  const { t } = useTranslation();
  const labels = useLabels();
  const [scope, setScope] = useState<RetentionScope>('organisation');
  const [roomId, setRoomId] = useState('');
  const [labelId, setLabelId] = useState('');
  const [deleteAfter, setDeleteAfter] = useState('');
  const [keepAtLeast, setKeepAtLeast] = useState('');
  const [error, setError] = useState<string | undefined>();
  const days = (value: string) => (value.trim() === '' ? null : Number(value));

  async function save(event: FormEvent) {
    event.preventDefault();
    const targetId = scope === 'room' ? roomId.trim() : scope === 'label' ? labelId || labels.list[0]?.id : undefined;
    try {
      await api.endpoint('setRetention')({ body: { scope, ...(targetId ? { targetId } : {}), deleteAfterDays: days(deleteAfter), keepAtLeastDays: days(keepAtLeast) } });
      setError(undefined);
      onSaved();
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return (
    <form className="audit-filter" onSubmit={(event) => void save(event)} aria-label={t('compliance.retention.save')}>
      <label className="field">
        <span>{t('compliance.retention.appliesTo')}</span>
        <select value={scope} onChange={(e) => setScope(e.target.value as RetentionScope)}>
          {(['organisation', 'room', 'label'] as const).map((option) => (
            <option key={option} value={option}>
              {t(`compliance.retention.scopes.${option}`)}
            </option>
          ))}
        </select>
      </label>
      {scope === 'room' && (
        <label className="field">
          <span>{t('compliance.retention.roomId')}</span>
          <input value={roomId} required spellCheck={false} autoComplete="off" onChange={(e) => setRoomId(e.target.value)} />
        </label>
      )}
      {scope === 'label' && (
        <LabelSelect label={t('compliance.retention.label')} options={labels.list} value={labelId} onChange={setLabelId} />
      )}
      <label className="field">
        <span>{t('compliance.retention.deleteAfterDays')}</span>
        <input type="number" min={1} max={36500} value={deleteAfter} onChange={(e) => setDeleteAfter(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('compliance.retention.keepAtLeastDays')}</span>
        <input type="number" min={1} max={36500} value={keepAtLeast} onChange={(e) => setKeepAtLeast(e.target.value)} />
      </label>
      <div className="audit-filter__buttons">
        <button type="submit" className="button">
          {t('compliance.retention.save')}
        </button>
      </div>
      <FormError message={error} />
    </form>
  );
}
