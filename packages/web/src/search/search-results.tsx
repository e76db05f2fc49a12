import { useTranslation } from 'react-i18next';
import { useSearch } from './search-context';
import { SearchResultItem } from './search-result-item';
import { RESULTS_LIST_ID } from './result-focus';

/** What the search found, newest first, with its state: a hint before searching, searching, nothing found, failed. */
export function SearchResults() {
  const { t } = useTranslation();
  const { state, searchNow, loadMore } = useSearch();
  const { status, results, nextCursor } = state;

  return (
    <div className="search-results">
      <p className="search-results__status muted" role="status">
        {status === 'idle' && t('search.hint')}
        {status === 'searching' && t('search.searching')}
        {status === 'done' && results.length > 0 && (nextCursor ? t('search.countSoFar', { count: results.length }) : t('search.count', { count: results.length }))}
      </p>
      {status === 'failed' && (
        <div className="search-results__problem" role="alert">
          <p>{state.error}</p>
          <button type="button" className="button button--small" onClick={searchNow}>
            {t('common.retry')}
          </button>
        </div>
      )}
      {status === 'done' && results.length === 0 && (
        <div className="search-results__problem">
          <p>{t('search.none')}</p>
          <p className="muted">{t('search.noneHint')}</p>
        </div>
      )}
      {results.length > 0 && (
        <ol id={RESULTS_LIST_ID} className="search-results__list" aria-label={t('search.results')} aria-busy={status === 'searching'}>
          {results.map((result) => (
            <li key={result.message.id}>
              <SearchResultItem result={result} />
            </li>
          ))}
        </ol>
      )}
      {status === 'done' && nextCursor && (
        <div className="search-results__more">
          {state.error && (
            <p className="form-error" role="alert">
              {state.error}
            </p>
          )}
          <button type="button" className="button button--small" disabled={state.loadingMore} onClick={loadMore}>
            {state.loadingMore ? t('common.loading') : t('search.loadMore')}
          </button>
        </div>
      )}
    </div>
  );
}
