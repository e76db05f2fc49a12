import type { Department } from '@enclave/protocol';
import { useId, useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { FormError } from '../ui/form-error';
import { DepartmentNode } from './department-node';
import { flattenTree, useDepartments } from './use-departments';

/** The department tree: create, rename, move and delete. People are assigned from the Users section. */
export function DepartmentsSection() {
  const { t } = useTranslation();
  const { departments, error: loadError, reload } = useDepartments();
  const [name, setName] = useState('');
  const [parentId, setParentId] = useState('');
  const [error, setError] = useState<string | undefined>();
  const headingId = useId();
  const tree = flattenTree(departments);

  async function run(action: () => Promise<unknown>) {
    setError(undefined);
    try {
      await action();
      reload();
    } catch (failure) {
      setError(describeError(failure));
    }
  }

  function create(event: FormEvent) {
    event.preventDefault();
    void run(async () => {
      await api.endpoint('createDepartment')({ body: { name, parentId: parentId || null } });
      setName('');
    });
  }

  const actions = {
    rename: (department: Department, newName: string) => run(() => api.endpoint('updateDepartment')({ params: { departmentId: department.id }, body: { name: newName } })),
    move: (department: Department, newParentId: string | null) =>
      run(() => api.endpoint('updateDepartment')({ params: { departmentId: department.id }, body: { parentId: newParentId } })),
    remove: (department: Department) => run(() => api.endpoint('deleteDepartment')({ params: { departmentId: department.id } })),
  };

  return (
    <>
      <section className="card" aria-labelledby={headingId}>
        <h2 id={headingId}>{t('console.newDepartment')}</h2>
        <form className="admin-form" onSubmit={create}>
          <label className="field">
            <span>{t('console.departmentName')}</span>
            <input value={name} onChange={(e) => setName(e.target.value)} maxLength={80} required />
          </label>
          <label className="field">
            <span>{t('console.parent')}</span>
            <select value={parentId} onChange={(e) => setParentId(e.target.value)}>
              <option value="">{t('console.topLevel')}</option>
              {tree.map(({ department, depth }) => (
                <option key={department.id} value={department.id}>
                  {`${'\u00a0\u00a0'.repeat(depth)}${department.name}`}
                </option>
              ))}
            </select>
          </label>
          <div className="admin-form__actions">
            <button type="submit" className="button button--primary">
              {t('console.create')}
            </button>
          </div>
        </form>
      </section>
      <section className="card" aria-label={t('console.departmentsTab')}>
        <FormError message={error ?? loadError} />
        {departments.length === 0 && <p className="muted">{t('console.noDepartments')}</p>}
        <ul className="department-tree" role="tree" aria-label={t('console.departmentsTab')}>
          {tree.map(({ department, depth }) => (
            <DepartmentNode key={department.id} department={department} depth={depth} departments={departments} {...actions} />
          ))}
        </ul>
      </section>
    </>
  );
}
