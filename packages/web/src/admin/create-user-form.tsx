import type { Role } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { usePeople } from '../people/people-context';
import { FormError } from '../ui/form-error';
import { useServerCall } from '../ui/use-server-call';
import { useDescribeUserFailure } from './guest-clearance';
import { RoleOptions } from './role-options';

const EMPTY = { username: '', displayName: '', password: '', role: 'member' as Role };

export function CreateUserForm({ guestMaxClearance, onCreated }: { guestMaxClearance: string | undefined; onCreated: () => void }) {
  const { t } = useTranslation();
  const people = usePeople();
  const [form, setForm] = useState(EMPTY);
  const { busy, error, run } = useServerCall(useDescribeUserFailure(guestMaxClearance));
  const [created, setCreated] = useState<string | undefined>();
  const headingId = useId();
  const usernameHelpId = useId();
  const passwordHelpId = useId();
  const roleHelpId = useId();

  const set = (field: keyof typeof EMPTY) => (event: { target: { value: string } }) => setForm({ ...form, [field]: event.target.value });

  async function create(event: FormEvent) {
    event.preventDefault();
    setCreated(undefined);
    await run(async () => {
      const { user } = await api.endpoint('createUser')({ body: { ...form, username: form.username.trim() } });
      setCreated(t('admin.created', { name: user.displayName, username: user.username }));
      setForm(EMPTY);
      people.refresh();
      onCreated();
    });
  }

  return (
    <section className="card" aria-labelledby={headingId}>
      <h2 id={headingId}>{t('admin.createTitle')}</h2>
      <form className="admin-form" onSubmit={create}>
        <label className="field">
          <span>{t('admin.username')}</span>
          <input value={form.username} onChange={set('username')} autoComplete="off" autoCapitalize="none" required aria-describedby={usernameHelpId} />
          <small id={usernameHelpId} className="muted">
            {t('admin.usernameHelp')}
          </small>
        </label>
        <label className="field">
          <span>{t('admin.displayName')}</span>
          <input value={form.displayName} onChange={set('displayName')} autoComplete="off" required />
        </label>
        <label className="field">
          <span>{t('admin.password')}</span>
          <input type="password" value={form.password} onChange={set('password')} autoComplete="new-password" required aria-describedby={passwordHelpId} />
          <small id={passwordHelpId} className="muted">
            {t('admin.passwordHelp')}
          </small>
        </label>
        <label className="field">
          <span>{t('admin.role')}</span>
          <select value={form.role} onChange={set('role')} aria-describedby={roleHelpId}>
            <RoleOptions />
          </select>
          <small id={roleHelpId} className="muted">
            {t(`admin.roleHelp.${form.role}`)}
          </small>
        </label>
        <FormError message={error} />
        {created && (
          <p className="notice notice--success" role="status">
            {created}
          </p>
        )}
        <div className="admin-form__actions">
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('admin.create')}
          </button>
        </div>
      </form>
    </section>
  );
}
