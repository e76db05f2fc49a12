import type { Department } from '@enclave/protocol';
import { useState, type FormEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { flattenTree } from './use-departments';

interface Props {
  department: Department;
  depth: number;
  departments: Department[];
  rename(department: Department, name: string): Promise<void>;
  move(department: Department, parentId: string | null): Promise<void>;
  remove(department: Department): Promise<void>;
}

/** Descendants cannot be picked as a new parent; the server would refuse them with DEPARTMENT_CYCLE anyway. */
function descendantsOf(id: string, departments: Department[]): Set<string> {
  const found = new Set([id]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of departments) {
      if (d.parentId && found.has(d.parentId) && !found.has(d.id)) {
        found.add(d.id);
        grew = true;
      }
    }
  }
  return found;
}

export function DepartmentNode({ department, depth, departments, rename, move, remove }: Props) {
  const { t } = useTranslation();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(department.name);
  const excluded = descendantsOf(department.id, departments);

  function submitRename(event: FormEvent) {
    event.preventDefault();
    void rename(department, name).then(() => setRenaming(false));
  }

  return (
    <li className="department-tree__node" role="treeitem" aria-level={depth + 1} aria-selected={false} style={{ paddingInlineStart: `${depth * 1.5}rem` }}>
      {renaming ? (
        <form onSubmit={submitRename} className="department-tree__rename">
          <input value={name} onChange={(e) => setName(e.target.value)} aria-label={t('console.renameNamed', { name: department.name })} maxLength={80} required autoFocus />
          <button type="submit" className="button button--small">
            {t('console.save')}
          </button>
        </form>
      ) : (
        <span className="department-tree__name">{department.name}</span>
      )}
      <span className="muted">{t('console.memberCount', { count: department.memberCount })}</span>
      <span className="department-tree__actions">
        {!renaming && (
          <button type="button" className="button button--small" aria-label={t('console.renameNamed', { name: department.name })} onClick={() => setRenaming(true)}>
            {t('console.rename')}
          </button>
        )}
        <select aria-label={t('console.moveNamed', { name: department.name })} value={department.parentId ?? ''} onChange={(e) => void move(department, e.target.value || null)}>
          <option value="">{t('console.topLevel')}</option>
          {flattenTree(departments)
            .filter(({ department: candidate }) => !excluded.has(candidate.id))
            .map(({ department: candidate, depth: level }) => (
              <option key={candidate.id} value={candidate.id}>
                {`${'\u00a0\u00a0'.repeat(level)}${candidate.name}`}
              </option>
            ))}
        </select>
        <button type="button" className="button button--small" aria-label={t('console.deleteNamed', { name: department.name })} onClick={() => void remove(department)}>
          {t('console.delete')}
        </button>
      </span>
    </li>
  );
}
