import { useDeferredValue, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { FormError } from '../ui/form-error';
import { CreateUserForm } from './create-user-form';
import { useGuestMaxClearance } from './guest-clearance';
import { useDepartments } from './use-departments';
import { useUserPages } from './use-user-pages';
import { UserRow } from './user-row';

export function UsersSection() {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const query = useDeferredValue(search.trim());
  const pages = useUserPages(query);
  const { departments } = useDepartments();
  const guestMaxClearance = useGuestMaxClearance();
  const headingId = useId();

  return (
    <>
      <CreateUserForm guestMaxClearance={guestMaxClearance} onCreated={pages.reload} />
      <section className="card" aria-labelledby={headingId}>
        <h2 id={headingId}>{t('console.usersTab')}</h2>
        <input type="search" className="console__search" value={search} onChange={(e) => setSearch(e.target.value)} aria-label={t('console.search')} placeholder={t('console.search')} />
        <FormError message={pages.error} />
        <table className="user-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.person')}</th>
              <th scope="col">{t('admin.role')}</th>
              <th scope="col">{t('labels.clearance')}</th>
              <th scope="col">{t('console.status')}</th>
              <th scope="col">{t('console.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {pages.users.map((user) => (
              <UserRow key={user.id} user={user} departments={departments} guestMaxClearance={guestMaxClearance} onChange={pages.replace} />
            ))}
          </tbody>
        </table>
        {pages.users.length === 0 && <p className="muted">{t('console.noMatches')}</p>}
        {pages.hasMore && (
          <button type="button" className="button" onClick={pages.loadMore}>
            {t('console.loadMore')}
          </button>
        )}
      </section>
    </>
  );
}
