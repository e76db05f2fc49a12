import { z } from 'zod';
import { Id, Timestamp } from './common';

/** One node of the organisation's department tree; the tree travels as a flat list linked by `parentId`. */
export const Department = z.object({
  id: Id,
  name: z.string(),
  parentId: Id.nullable(),
  createdAt: Timestamp,
  /** People assigned directly to this department (not counting sub-departments). */
  memberCount: z.number().int().nonnegative(),
});
export type Department = z.infer<typeof Department>;

export const DepartmentName = z.string().trim().min(1).max(80);
export const DepartmentListResponse = z.object({ departments: z.array(Department) });
export const DepartmentResponse = z.object({ department: Department });
export const DepartmentCreateRequest = z.object({ name: DepartmentName, parentId: Id.nullable().optional() });
/** Renames and/or moves a department; `parentId: null` moves it to the top level. */
export const DepartmentUpdateRequest = z
  .object({ name: DepartmentName.optional(), parentId: Id.nullable().optional() })
  .refine((v) => v.name !== undefined || v.parentId !== undefined, 'nothing to change');
export const DepartmentIdParams = z.object({ departmentId: Id });
