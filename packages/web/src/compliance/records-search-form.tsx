import { useId, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels/labels-context';
import { usePeople } from '../people/people-context';
import { MemberPicker } from '../rooms/member-picker';
import { OfficerRoomPicker } from './officer-room-picker';
import type { RecordsSearchForm } from './records-search-query';

interface RecordsSearchFormProps {
  form: RecordsSearchForm;
  busy: boolean;
  onChange: (change: Partial<RecordsSearchForm>) => void;
  onSearch: () => void;
}

/** The query: words, custodians, rooms (found by name or narrowed from results), days, label and files; searched on submit only, as each search is audited. */
export function RecordsSearchFormFields({ form, busy, onChange, onSearch }: RecordsSearchFormProps) {
  const { t } = useTranslation();
  const people = usePeople();
  const labels = useLabels();
  const wordsId = useId();
  const wordsHelpId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    onSearch();
  }

  return (
    <form className="records-form" onSubmit={submit}>
      <div className="field">
        <label htmlFor={wordsId}>{t('compliance.records.words')}</label>
        <input id={wordsId} type="search" value={form.words} maxLength={500} aria-describedby={wordsHelpId} onChange={(event) => onChange({ words: event.target.value })} />
        <small id={wordsHelpId} className="muted">
          {t('compliance.records.wordsHelp')}
        </small>
      </div>
      <MemberPicker legend={t('compliance.records.custodians')} candidates={people.list} selected={form.custodianIds} onChange={(custodianIds) => onChange({ custodianIds })} />
      <OfficerRoomPicker legend={t('compliance.records.rooms')} selected={form.rooms} onChange={(rooms) => onChange({ rooms })} emptyText={t('compliance.records.anyRoom')} />
      <div className="records-form__row">
        <label className="search-filter">
          <span>{t('compliance.records.fromDay')}</span>
          <input type="date" value={form.fromDay} max={form.untilDay || undefined} onChange={(event) => onChange({ fromDay: event.target.value })} />
        </label>
        <label className="search-filter">
          <span>{t('compliance.records.untilDay')}</span>
          <input type="date" value={form.untilDay} min={form.fromDay || undefined} onChange={(event) => onChange({ untilDay: event.target.value })} />
        </label>
        <label className="search-filter">
          <span>{t('compliance.records.label')}</span>
          <select value={form.label} onChange={(event) => onChange({ label: event.target.value })}>
            <option value="">{t('compliance.records.anyLabel')}</option>
            {labels.list.map((label) => (
              <option key={label.id} value={label.id}>
                {labels.nameOf(label.id)}
              </option>
            ))}
          </select>
        </label>
        <label className="search-filter search-filter--check">
          <input type="checkbox" checked={form.withFiles} onChange={(event) => onChange({ withFiles: event.target.checked })} />
          <span>{t('compliance.records.withFiles')}</span>
        </label>
      </div>
      <button type="submit" className="button button--primary" disabled={busy}>
        {busy ? t('compliance.records.searching') : t('compliance.records.search')}
      </button>
    </form>
  );
}
