import type { Department } from '@enclave/protocol';
import { useCallback, useEffect, useState } from 'react';
import { api, describeError } from '../app/api';

/** The department list, reloadable after a change; `error` holds a failed load's message. */
export function useDepartments() {
  const [departments, setDepartments] = useState<Department[]>([]);
  const [error, setError] = useState<string | undefined>();
  const reload = useCallback(() => {
    api.endpoint('listDepartments')().then(
      (answer) => setDepartments(answer.departments),
      (failure: unknown) => setError(describeError(failure)),
    );
  }, []);
  useEffect(reload, [reload]);
  return { departments, error, reload };
}

/** Departments in tree order (each after its parent), with their depth, for indented lists and pickers. */
export function flattenTree(departments: Department[]): { department: Department; depth: number }[] {
  const children = new Map<string | null, Department[]>();
  for (const department of departments) children.set(department.parentId, [...(children.get(department.parentId) ?? []), department]);
  const ordered: { department: Department; depth: number }[] = [];
  const visit = (parentId: string | null, depth: number) => {
    for (const department of children.get(parentId) ?? []) {
      ordered.push({ department, depth });
      visit(department.id, depth + 1);
    }
  };
  visit(null, 0);
  return ordered;
}
