import type { User } from '@enclave/protocol';
import { useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { PersonLabel } from '../ui/person-label';
import { matchesPerson } from './matches-person';

interface MemberPickerProps {
  candidates: User[];
  selected: ReadonlySet<string>;
  onChange: (selected: Set<string>) => void;
  /** What the people are chosen as; members unless said otherwise. */
  legend?: string;
}

/** A searchable checklist of people; the search only narrows what is shown, never what is selected. */
export function MemberPicker({ candidates, selected, onChange, legend }: MemberPickerProps) {
  const { t } = useTranslation();
  const [query, setQuery] = useState('');
  const groupId = useId();
  const shown = candidates.filter((user) => matchesPerson(user, query));

  function toggle(userId: string) {
    const next = new Set(selected);
    if (next.has(userId)) next.delete(userId);
    else next.add(userId);
    onChange(next);
  }

  return (
    <fieldset className="member-picker" aria-describedby={groupId}>
      <legend>{legend ?? t('rooms.members')}</legend>
      <input
        type="search"
        className="member-picker__search"
        placeholder={t('rooms.findPeople')}
        aria-label={t('rooms.findPeople')}
        value={query}
        onChange={(event) => setQuery(event.target.value)}
      />
      <p id={groupId} className="muted member-picker__count">
        {t('rooms.selectedCount', { count: selected.size })}
      </p>
      <ul className="member-picker__list">
        {shown.map((user) => (
          <li key={user.id}>
            <label className="person-option">
              <input type="checkbox" checked={selected.has(user.id)} onChange={() => toggle(user.id)} />
              <PersonLabel user={user} />
            </label>
          </li>
        ))}
        {shown.length === 0 && <li className="muted member-picker__empty">{t('rooms.nobodyFound')}</li>}
      </ul>
    </fieldset>
  );
}
