import type { Role, User } from '@enclave/protocol';
import { useEffect, useId, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { usePeople } from '../people/people-context';
import { useMe } from '../session/session-context';
import { Avatar } from '../ui/avatar';
import { FormError } from '../ui/form-error';

export function UserRoleTable() {
  const { t } = useTranslation();
  const me = useMe();
  const people = usePeople();
  // The role being saved is shown at once, so that the select does not jump back while the server answers.
  const [saving, setSaving] = useState<{ userId: string; role: Role } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const headingId = useId();

  useEffect(() => people.refresh(), [people.refresh]);

  async function changeRole(user: User, role: Role) {
    setSaving({ userId: user.id, role });
    setError(undefined);
    try {
      const answer = await api.call('updateUser', { params: { userId: user.id }, body: { role } });
      people.replace(answer.user);
    } catch (failure) {
      setError(describeError(failure));
    } finally {
      setSaving(undefined);
    }
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('admin.peopleTitle', { count: people.list.length })}</h2>
      <FormError message={error} />
      <table className="user-table">
        <thead>
          <tr>
            <th scope="col">{t('admin.person')}</th>
            <th scope="col">{t('admin.role')}</th>
          </tr>
        </thead>
        <tbody>
          {people.list.map((user) => (
            <tr key={user.id}>
              <td>
                <div className="user-table__person">
                  <Avatar user={user} size="small" />
                  <span>{user.displayName}</span>
                  <span className="muted">@{user.username}</span>
                </div>
              </td>
              <td>
                <select
                  aria-label={t('admin.roleOf', { name: user.displayName })}
                  value={saving?.userId === user.id ? saving.role : user.role}
                  // Demoting oneself would lock the page one is on; another admin has to do it.
                  disabled={user.id === me.id || saving?.userId === user.id}
                  title={user.id === me.id ? t('admin.ownRole') : undefined}
                  onChange={(event) => void changeRole(user, event.target.value as Role)}
                >
                  <option value="member">{t('roles.member')}</option>
                  <option value="admin">{t('roles.admin')}</option>
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
