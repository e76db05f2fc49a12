import { useMemo } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../people/people-context';
import type { AuditFilter } from './audit-filter';
import { useAuditWords } from './audit-words';
import { KNOWN_AUDIT_ACTIONS } from './known-audit-actions';

export interface AuditFiltersProps {
  filter: AuditFilter;
  onChange(filter: AuditFilter): void;
  /** The chosen room's name, when the page knows it. */
  roomName: string | undefined;
}

/** Who, what, which room and which days: each change narrows the log on the server at once. */
export function AuditFilters({ filter, onChange, roomName }: AuditFiltersProps) {
  const { t, i18n } = useTranslation();
  const people = usePeople();
  const words = useAuditWords();
  const actions = useMemo(
    () => KNOWN_AUDIT_ACTIONS.map((code) => ({ code, words: words.action(code) })).sort((a, b) => a.words.localeCompare(b.words, i18n.language)),
    [words, i18n.language],
  );
  const set = (part: Partial<AuditFilter>) => onChange({ ...filter, ...part });

  return (
    <div className="audit-filter">
      <label className="field">
        <span>{t('compliance.personFilter')}</span>
        <select value={filter.actorId} onChange={(e) => set({ actorId: e.target.value })}>
          <option value="">{t('compliance.anyone')}</option>
          {people.list.map((person) => (
            <option key={person.id} value={person.id}>
              {person.displayName}
            </option>
          ))}
        </select>
      </label>
      <label className="field">
        <span>{t('compliance.actionFilter')}</span>
        <select value={filter.action} onChange={(e) => set({ action: e.target.value })}>
          <option value="">{t('compliance.anyAction')}</option>
          {actions.map((action) => (
            <option key={action.code} value={action.code}>
              {action.words}
            </option>
          ))}
        </select>
      </label>
      <div className="field">
        <span>{t('compliance.roomFilter')}</span>
        {filter.roomId ? (
          <span className="audit-filter__room">
            <span title={filter.roomId}>{roomName ?? filter.roomId}</span>
            <button type="button" className="button button--small" onClick={() => set({ roomId: '' })}>
              {t('compliance.anyRoom')}
            </button>
          </span>
        ) : (
          <small className="muted">{t('compliance.roomFilterHelp')}</small>
        )}
      </div>
      <label className="field field--date">
        <span>{t('compliance.fromFilter')}</span>
        <input type="date" value={filter.fromDay} max={filter.toDay || undefined} onChange={(e) => set({ fromDay: e.target.value })} />
      </label>
      <label className="field field--date">
        <span>{t('compliance.toFilter')}</span>
        <input type="date" value={filter.toDay} min={filter.fromDay || undefined} onChange={(e) => set({ toDay: e.target.value })} />
      </label>
    </div>
  );
}
