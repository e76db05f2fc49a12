import { useTranslation } from 'react-i18next';
import { navigate, useRoute } from '../app/router';
import { SearchIcon } from '../ui/icons';

/** The sidebar's way into the search, with its "/" shortcut shown. */
export function SearchLink() {
  const { t } = useTranslation();
  const route = useRoute();
  return (
    <a
      href="/search"
      className="room-link search-link"
      aria-current={route.page === 'search' ? 'page' : undefined}
      aria-keyshortcuts="/"
      onClick={(event) => {
        event.preventDefault();
        navigate({ page: 'search' });
      }}
    >
      <span className="room-link__icon" aria-hidden="true">
        <SearchIcon />
      </span>
      <span className="room-link__name">{t('search.link')}</span>
      <kbd className="search-link__key" aria-hidden="true" title={t('search.shortcut')}>
        /
      </kbd>
    </a>
  );
}
