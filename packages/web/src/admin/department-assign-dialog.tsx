import type { Department, User } from '@enclave/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { Dialog } from '../ui/dialog';
import { FormError } from '../ui/form-error';
import { flattenTree } from './use-departments';

/** Picks the departments a person belongs to (any number), shown as the indented tree. */
export function DepartmentAssignDialog(props: { user: User; departments: Department[]; onClose: () => void; onSaved: (user: User) => void }) {
  const { t } = useTranslation();
  const [chosen, setChosen] = useState(new Set(props.user.departmentIds));
  const [error, setError] = useState<string | undefined>();

  function toggle(id: string, on: boolean) {
    const next = new Set(chosen);
    if (on) next.add(id);
    else next.delete(id);
    setChosen(next);
  }

  async function save(event: FormEvent) {
    event.preventDefault();
    try {
      const { user } = await api.endpoint('setUserDepartments')({ params: { userId: props.user.id }, body: { departmentIds: [...chosen] } });
      props.onSaved(user);
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  return (
    <Dialog title={t('console.departmentsOf', { name: props.user.displayName })} onClose={props.onClose}>
      <form className="admin-form" onSubmit={save}>
        {props.departments.length === 0 && <p className="muted">{t('console.noDepartments')}</p>}
        {flattenTree(props.departments).map(({ department, depth }) => (
          <label key={department.id} className="checkbox" style={{ paddingInlineStart: `${depth * 1.25}rem` }}>
            <input type="checkbox" checked={chosen.has(department.id)} onChange={(e) => toggle(department.id, e.target.checked)} />
            <span>{department.name}</span>
          </label>
        ))}
        <FormError message={error} />
        <div className="admin-form__actions">
          <button type="submit" className="button button--primary">
            {t('console.save')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
