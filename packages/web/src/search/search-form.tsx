import { SEARCH_QUERY_MAX } from '@enclave/protocol';
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import { SearchIcon } from '../ui/icons';
import { moveResultFocus } from './result-focus';
import { useSearch } from './search-context';
import { SearchFilters } from './search-filters';

/** The labelled search form: the words (searched as one types, or at once with Enter) and the filters. */
export function SearchForm() {
  const { t } = useTranslation();
  const { criteria, changeCriteria, searchNow, focusRequests } = useSearch();
  const input = useRef<HTMLInputElement>(null);

  // On opening the view, and whenever "/" asks for it again.
  useEffect(() => input.current?.focus(), [focusRequests]);

  return (
    <form
      role="search"
      aria-label={t('search.title')}
      className="search-form"
      onSubmit={(event) => {
        event.preventDefault();
        searchNow();
      }}
    >
      <div className="search-form__query">
        <SearchIcon />
        <input
          ref={input}
          type="search"
          aria-label={t('search.words')}
          placeholder={t('search.placeholder')}
          maxLength={SEARCH_QUERY_MAX}
          value={criteria.text}
          onChange={(event) => changeCriteria({ text: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'ArrowDown' && moveResultFocus(event.key, null)) event.preventDefault();
          }}
        />
      </div>
      <SearchFilters />
    </form>
  );
}
