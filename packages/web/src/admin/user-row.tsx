import { Role, type Department, type User } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { useLabels } from '../labels/labels-context';
import { GuestBadge } from '../protection/guest-badge';
import { useMe } from '../session/session-context';
import { Avatar } from '../ui/avatar';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { DepartmentAssignDialog } from './department-assign-dialog';
import { EmailAddressDialog } from './email-address-dialog';
import { useDescribeUserFailure } from './guest-clearance';
import { ResetPasswordDialog } from './reset-password-dialog';
import { RoleOptions } from './role-options';

interface UserRowProps {
  user: User;
  departments: Department[];
  /** The highest clearance a guest may have, to name it when the server refuses a higher one. */
  guestMaxClearance: string | undefined;
  onChange: (user: User) => void;
}

/** One person in the console: role, status, and the actions an administrator takes on them. */
export function UserRow({ user, departments, guestMaxClearance, onChange }: UserRowProps) {
  const { t } = useTranslation();
  const me = useMe();
  const labels = useLabels();
  const { busy, error, run } = useServerCall(useDescribeUserFailure(guestMaxClearance));
  const [dialog, setDialog] = useState<'departments' | 'password' | 'email' | undefined>();
  const name = user.displayName;
  const self = user.id === me.id;

  const act = (call: () => Promise<{ user: User }>) => run(async () => onChange((await call()).user));

  const changeRole = (role: Role) => act(() => api.endpoint('updateUser')({ params: { userId: user.id }, body: { role } }));
  const changeClearance = (clearance: string) => act(() => api.endpoint('updateUser')({ params: { userId: user.id }, body: { clearance } }));
  const toggleDisabled = () => act(() => api.endpoint(user.disabled ? 'enableUser' : 'disableUser')({ params: { userId: user.id } }));
  const departmentNames = departments.filter((d) => user.departmentIds.includes(d.id)).map((d) => d.name);

  return (
    <tr>
      <td>
        <div className="user-table__person">
          <Avatar user={user} size="small" />
          <span>{name}</span>
          <span className="muted">@{user.username}</span>
          <GuestBadge user={user} />
        </div>
        {departmentNames.length > 0 && <div className="muted">{departmentNames.join(', ')}</div>}
        <FormError message={error} />
      </td>
      <td>
        <select
          aria-label={t('admin.roleOf', { name })}
          value={user.role}
          // Demoting oneself would lock the page one is on; another admin has to do it.
          disabled={self || busy}
          title={self ? t('admin.ownRole') : undefined}
          onChange={(event) => void changeRole(Role.parse(event.target.value))}
        >
          <RoleOptions />
        </select>
      </td>
      <td>
        <select aria-label={t('labels.clearanceOf', { name })} value={user.clearance} disabled={busy} onChange={(event) => void changeClearance(event.target.value)}>
          {labels.list.map((label) => (
            <option key={label.id} value={label.id}>
              {labels.nameOf(label.id)}
            </option>
          ))}
        </select>
      </td>
      <td>{user.disabled ? t('console.disabled') : t('console.active')}</td>
      <td className="user-table__actions">
        <button type="button" className="button button--small" aria-label={t('console.departmentsNamed', { name })} onClick={() => setDialog('departments')}>
          {t('console.departments')}
        </button>
        <button type="button" className="button button--small" aria-label={t('console.resetPasswordNamed', { name })} onClick={() => setDialog('password')}>
          {t('console.resetPassword')}
        </button>
        <button type="button" className="button button--small" aria-label={t('emailNotifications.addressNamed', { name })} onClick={() => setDialog('email')}>
          {t('emailNotifications.address')}
        </button>
        {!self && (
          <button
            type="button"
            className="button button--small"
            disabled={busy}
            aria-label={user.disabled ? t('console.enableNamed', { name }) : t('console.disableNamed', { name })}
            onClick={() => void toggleDisabled()}
          >
            {user.disabled ? t('console.enable') : t('console.disable')}
          </button>
        )}
        {dialog === 'departments' && (
          <DepartmentAssignDialog
            user={user}
            departments={departments}
            onClose={() => setDialog(undefined)}
            onSaved={(saved) => {
              onChange(saved);
              setDialog(undefined);
            }}
          />
        )}
        {dialog === 'password' && <ResetPasswordDialog user={user} onClose={() => setDialog(undefined)} />}
        {dialog === 'email' && <EmailAddressDialog user={user} onClose={() => setDialog(undefined)} />}
      </td>
    </tr>
  );
}
