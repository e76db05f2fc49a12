import type { ApprovalRow } from './approvals.repository';

/** The kinds whose subject is a person (given a role, or a password): that person never decides them. */
export function isAboutSubjectPerson(row: Pick<ApprovalRow, 'kind'>): boolean {
  return row.kind === 'role-grant' || row.kind === 'password-reset';
}
