import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, useState, type ReactNode } from 'react';
import { api, describeError } from '../app/api';
import { navigate } from '../app/router';
import { useFormatTime } from '../ui/use-format-time';
import { NO_CRITERIA, searchQueryOf, type SearchCriteria, type SearchQuery } from './search-criteria';
import { IDLE_SEARCH, searchReducer, type SearchState } from './search-state';
import { useSearchShortcut } from './use-search-shortcut';

export interface Search {
  criteria: SearchCriteria;
  changeCriteria(change: Partial<SearchCriteria>): void;
  clearFilters(): void;
  state: SearchState;
  /** Searches at once (Enter, or again after a failure) instead of after the typing pause. */
  searchNow(): void;
  loadMore(): void;
  /** Grows each time the "/" shortcut asks for the search box, so that it takes the focus even when already shown. */
  focusRequests: number;
}

/** How long typing must pause before the words are searched: one request per pause rather than per key. */
const TYPING_PAUSE_MS = 250;

/** The search: what was asked and what was found, kept while the reader opens results and comes back. */
export function SearchProvider({ children }: { children: ReactNode }) {
  const { timeZone } = useFormatTime();
  const [criteria, setCriteria] = useState<SearchCriteria>(NO_CRITERIA);
  const [state, dispatch] = useReducer(searchReducer, IDLE_SEARCH);
  const [focusRequests, setFocusRequests] = useState(0);
  const query = useMemo(() => searchQueryOf(criteria, timeZone), [criteria, timeZone]);
  const generations = useRef(0);
  // The query the shown results answer, for their next pages, and its key, so the same query is not run twice.
  const running = useRef<{ query: SearchQuery | undefined; key: string }>({ query: undefined, key: '' });

  const run = useCallback((next: SearchQuery | undefined) => {
    const generation = ++generations.current;
    running.current = { query: next, key: keyOf(next) };
    if (!next) {
      dispatch({ type: 'cleared', generation });
      return;
    }
    dispatch({ type: 'started', generation });
    api.endpoint('search')({ query: next }).then(
      (answer) => dispatch({ type: 'page-loaded', generation, more: false, results: answer.results, nextCursor: answer.nextCursor }),
      (failure: unknown) => dispatch({ type: 'failed', generation, more: false, error: describeError(failure) }),
    );
  }, []);

  // Changed words wait for a pause in typing; clearing them clears the results at once.
  useEffect(() => {
    if (keyOf(query) === running.current.key) return;
    if (!query) {
      run(undefined);
      return;
    }
    // Enter may have searched for these words during the pause already.
    const timer = setTimeout(() => {
      if (keyOf(query) !== running.current.key) run(query);
    }, TYPING_PAUSE_MS);
    return () => clearTimeout(timer);
  }, [query, run]);

  const loadMore = useCallback(() => {
    const { query: shown } = running.current;
    if (!shown || !state.nextCursor || state.loadingMore || state.status !== 'done') return;
    const { generation, nextCursor } = state;
    dispatch({ type: 'more-started', generation });
    api.endpoint('search')({ query: { ...shown, cursor: nextCursor } }).then(
      (answer) => dispatch({ type: 'page-loaded', generation, more: true, results: answer.results, nextCursor: answer.nextCursor }),
      (failure: unknown) => dispatch({ type: 'failed', generation, more: true, error: describeError(failure) }),
    );
  }, [state]);

  const openSearch = useCallback(() => {
    navigate({ page: 'search' });
    setFocusRequests((count) => count + 1);
  }, []);
  useSearchShortcut(openSearch);

  const search = useMemo<Search>(
    () => ({
      criteria,
      changeCriteria: (change) => setCriteria((current) => ({ ...current, ...change })),
      clearFilters: () => setCriteria((current) => ({ ...NO_CRITERIA, text: current.text })),
      state,
      searchNow: () => run(query),
      loadMore,
      focusRequests,
    }),
    [criteria, state, run, query, loadMore, focusRequests],
  );
  return <SearchContext.Provider value={search}>{children}</SearchContext.Provider>;
}

export function useSearch(): Search {
  const search = useContext(SearchContext);
  if (!search) throw new Error('useSearch needs a SearchProvider');
  return search;
}

const SearchContext = createContext<Search | undefined>(undefined);

function keyOf(query: SearchQuery | undefined): string {
  return query ? JSON.stringify(query) : '';
}
