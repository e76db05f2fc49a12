import { useTranslation } from 'react-i18next';
import { useMe } from '../session/session-context';
import { CreateUserForm } from './create-user-form';
import { UserRoleTable } from './user-role-table';

export function AdminPage() {
  const { t } = useTranslation();
  const me = useMe();
  if (me.role !== 'admin') {
    return (
      <div className="empty-state">
        <h1>{t('admin.title')}</h1>
        <p className="muted">{t('admin.onlyAdmins')}</p>
      </div>
    );
  }
  return (
    <div className="admin">
      <header className="admin__header">
        <h1>{t('admin.title')}</h1>
        <p className="muted">{t('admin.subtitle')}</p>
      </header>
      <CreateUserForm />
      <UserRoleTable />
    </div>
  );
}
