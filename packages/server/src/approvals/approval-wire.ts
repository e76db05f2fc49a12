import type { Approval, ApprovalDetails, ApprovalPerson } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import { roomNames } from '../rooms/rooms.access';
import { isAboutSubjectPerson } from './approval-kinds';
import { peopleByIds, type ApprovalRow } from './approvals.repository';

/** Requests as the API shows them, with the people and rooms they name looked up in one query each. */
export async function toWireApprovals(db: Kysely<Database>, keys: Keyring, items: { row: ApprovalRow; mayDecide: boolean }[]): Promise<Approval[]> {
  const personIds = new Set<string>();
  for (const { row } of items) {
    personIds.add(row.requested_by);
    if (row.decided_by) personIds.add(row.decided_by);
    if (row.target_id) personIds.add(row.target_id);
    if (isAboutSubjectPerson(row) && row.subject_id) personIds.add(row.subject_id);
  }
  const people = new Map((await peopleByIds(db, [...personIds])).map((p) => [p.id, { id: p.id, username: p.username, displayName: p.display_name }]));
  const person = (id: string): ApprovalPerson => people.get(id) ?? { id, username: '', displayName: '' };
  const rooms = await roomNames(db, keys, items.flatMap(({ row }) => (row.kind === 'room-admission' && row.subject_id ? [row.subject_id] : [])));
  return items.map(({ row, mayDecide }) => ({
    id: row.id,
    status: row.status,
    details: detailsOf(row, person, rooms),
    requestedBy: person(row.requested_by),
    requestedAt: new Date(Number(row.requested_at)).toISOString(),
    expiresAt: new Date(Number(row.expires_at)).toISOString(),
    decidedBy: row.decided_by ? person(row.decided_by) : null,
    decidedAt: row.decided_at === null ? null : new Date(Number(row.decided_at)).toISOString(),
    mayDecide,
  }));
}

function detailsOf(row: ApprovalRow, person: (id: string) => ApprovalPerson, rooms: Map<string, string | null>): ApprovalDetails {
  const payload = JSON.parse(row.payload) as Record<string, unknown>;
  switch (row.kind) {
    case 'room-admission':
      return { kind: 'room-admission', room: { id: row.subject_id!, name: rooms.get(row.subject_id!) ?? null }, person: person(row.target_id!), inviteId: String(payload.inviteId) };
    case 'role-grant':
      return { kind: 'role-grant', person: person(row.subject_id!), from: payload.from as never, to: payload.to as never };
    case 'dlp-rule':
      return { kind: 'dlp-rule', ruleId: row.subject_id, rule: payload.rule as never, reasons: payload.reasons as never };
    case 'password-reset':
      // The payload's password hash stays here: only the person and their role go out.
      return { kind: 'password-reset', person: person(row.subject_id!), role: payload.role as never };
  }
}
