import { useId, useState, type KeyboardEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { usePeople } from '../people/people-context';
import { matchesPerson } from '../rooms/matches-person';
import { PersonLabel } from '../ui/person-label';

/** How many people the picker suggests at once; typing more of the name narrows it. */
const SUGGESTIONS = 8;

/**
 * The sender filter: type part of a name or username, pick with the arrows and Enter (or a click); the choice
 * then shows as a chip that removes it.
 */
export function SenderFilter({ value, onChange }: { value: string | undefined; onChange: (senderId: string | undefined) => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(false);
  const [highlight, setHighlight] = useState(0);
  // After the chip is removed the picker takes the focus, which would otherwise be lost with the chip's button.
  const [refocus, setRefocus] = useState(false);
  const inputId = useId();
  const listId = useId();

  if (value !== undefined) {
    const name = people.byId.get(value)?.displayName ?? t('common.someone');
    return (
      <div className="search-filter">
        <span>{t('search.sender')}</span>
        <span className="filter-chip">
          {name}
          <button
            type="button"
            className="filter-chip__remove"
            aria-label={t('search.removeSender', { name })}
            onClick={() => {
              setQuery('');
              setRefocus(true);
              onChange(undefined);
            }}
          >
            ×
          </button>
        </span>
      </div>
    );
  }

  const shown = query.trim() === '' ? [] : people.list.filter((user) => matchesPerson(user, query)).slice(0, SUGGESTIONS);
  const active = shown[Math.min(highlight, shown.length - 1)];
  const expanded = open && shown.length > 0;

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>) {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      if (shown.length === 0) return;
      event.preventDefault();
      setOpen(true);
      setHighlight((Math.min(highlight, shown.length - 1) + (event.key === 'ArrowDown' ? 1 : -1) + shown.length) % shown.length);
    } else if (event.key === 'Enter' && expanded) {
      // Enter picks a person here; it must not also submit the search form.
      event.preventDefault();
      if (active) onChange(active.id);
    } else if (event.key === 'Escape' && expanded) {
      event.preventDefault();
      setOpen(false);
    }
  }

  return (
    <div className="search-filter sender-filter">
      <label htmlFor={inputId}>{t('search.sender')}</label>
      <input
        id={inputId}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={expanded}
        aria-controls={listId}
        aria-activedescendant={expanded && active ? `${listId}-${active.id}` : undefined}
        placeholder={t('search.anyone')}
        autoFocus={refocus}
        value={query}
        onChange={(event) => {
          setQuery(event.target.value);
          setHighlight(0);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
      />
      {open && query.trim() !== '' && shown.length === 0 && <p className="muted sender-filter__empty">{t('search.nobody')}</p>}
      <ul id={listId} role="listbox" aria-label={t('search.senderSuggestions')} className="sender-filter__list" hidden={!expanded}>
        {shown.map((user) => (
          <li
            key={user.id}
            id={`${listId}-${user.id}`}
            role="option"
            aria-selected={user.id === active?.id}
            className="sender-filter__option"
            // Picking with the mouse must not blur the input first, which would close the list under the pointer.
            onMouseDown={(event) => event.preventDefault()}
            onClick={() => onChange(user.id)}
          >
            <PersonLabel user={user} />
          </li>
        ))}
      </ul>
    </div>
  );
}
