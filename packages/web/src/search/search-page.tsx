import { useTranslation } from 'react-i18next';
import { navigate } from '../app/router';
import { BackIcon } from '../ui/icons';
import { SearchForm } from './search-form';
import { SearchResults } from './search-results';

/** The search view in the main pane: the form with its filters above the results. */
export function SearchPage() {
  const { t } = useTranslation();
  return (
    <section className="search" aria-labelledby="search-title">
      <header className="room-header">
        <button type="button" className="icon-button room-header__back" aria-label={t('room.backToRooms')} onClick={() => navigate({ page: 'home' })}>
          <BackIcon />
        </button>
        <div className="room-header__title">
          <h1 id="search-title">{t('search.title')}</h1>
          <span className="muted">{t('search.subtitle')}</span>
        </div>
      </header>
      <div className="search__body">
        <SearchForm />
        <SearchResults />
      </div>
    </section>
  );
}
