import type { RecordsQueryInput } from '@enclave/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels/labels-context';
import { LabelSelect } from '../labels/label-select';
import { usePeople } from '../people/people-context';
import { OfficerRoomPicker } from './officer-room-picker';

type FileChoice = 'any' | 'with' | 'without';

/**
 * What an export covers: custodians (who sent), rooms (found by name), a date range in UTC days (both days included),
 * a label and whether files are attached. Empty parts mean "any".
 */
export function ExportQueryForm({ busy, onSubmit }: { busy: boolean; onSubmit: (query: RecordsQueryInput) => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const labels = useLabels();
  const [custodianIds, setCustodianIds] = useState<string[]>([]);
  const [rooms, setRooms] = useState<Map<string, string>>(new Map());
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [label, setLabel] = useState('');
  const [files, setFiles] = useState<FileChoice>('any');

  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit({
      custodianIds,
      roomIds: [...rooms.keys()],
      ...(from ? { from: `${from}T00:00:00.000Z` } : {}),
      ...(to ? { to: dayAfter(to) } : {}),
      ...(label ? { label } : {}),
      ...(files === 'any' ? {} : { hasFile: files === 'with' }),
    });
  }

  return (
    <form className="export-form" onSubmit={submit}>
      <label className="field">
        <span>{t('compliance.export.custodians')}</span>
        <select multiple value={custodianIds} size={Math.min(6, Math.max(3, people.list.length))} onChange={(e) => setCustodianIds([...e.target.selectedOptions].map((option) => option.value))}>
          {people.list.map((person) => (
            <option key={person.id} value={person.id}>
              {person.displayName} (@{person.username})
            </option>
          ))}
        </select>
        <small className="muted">{t('compliance.export.custodiansHelp')}</small>
      </label>
      <OfficerRoomPicker legend={t('compliance.export.rooms')} selected={rooms} onChange={setRooms} emptyText={t('compliance.export.anyRoom')} />
      <label className="field">
        <span>{t('compliance.export.from')}</span>
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label className="field">
        <span>{t('compliance.export.to')}</span>
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <LabelSelect label={t('compliance.export.label')} options={labels.list} value={label} onChange={setLabel} anyOption={t('compliance.export.anyLabel')} />
      <label className="field">
        <span>{t('compliance.export.files')}</span>
        <select value={files} onChange={(e) => setFiles(e.target.value as FileChoice)}>
          <option value="any">{t('compliance.export.filesAny')}</option>
          <option value="with">{t('compliance.export.filesWith')}</option>
          <option value="without">{t('compliance.export.filesWithout')}</option>
        </select>
      </label>
      <div className="export-form__buttons">
        <button type="submit" className="button button--primary" disabled={busy}>
          {busy ? t('compliance.export.working') : t('compliance.export.submit')}
        </button>
      </div>
    </form>
  );
}

/** The `to` of a query is exclusive: the day after the last day asked for, at midnight UTC. */
function dayAfter(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + 86_400_000).toISOString();
}
