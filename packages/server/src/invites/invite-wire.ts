import type { Invite, InviteRequest, InviteStatus } from '@enclave/protocol';
import { AppError } from '../http/app-error';
import type { InviteRequestRow, InviteRow } from './invites.repository';

const iso = (ms: number | string) => new Date(Number(ms)).toISOString();

/** Revoked wins over used up, which wins over expired: the reason the least likely to change. */
export function inviteStatus(row: InviteRow, now: number): InviteStatus {
  if (row.revoked_at !== null) return 'revoked';
  if (Number(row.uses) >= Number(row.max_uses)) return 'used-up';
  if (Number(row.expires_at) <= now) return 'expired';
  return 'active';
}

/** The invite for a code, if it can still be used; otherwise the error that says why not. */
export function requireOpenInvite(row: InviteRow | undefined, now: number): InviteRow {
  if (!row) throw new AppError('INVITE_NOT_FOUND');
  const status = inviteStatus(row, now);
  if (status === 'revoked') throw new AppError('INVITE_REVOKED');
  if (status === 'used-up') throw new AppError('INVITE_USED_UP');
  if (status === 'expired') throw new AppError('INVITE_EXPIRED');
  return row;
}

export function toWireInvite(row: InviteRow, now: number): Invite {
  return {
    id: row.id,
    codePrefix: row.code_prefix,
    kind: row.room_id === null ? 'organisation' : 'room',
    room: row.room_id === null ? null : { id: row.room_id, name: row.room_name },
    role: row.role,
    clearance: row.clearance,
    maxUses: Number(row.max_uses),
    uses: Number(row.uses),
    requiresApproval: Number(row.requires_approval) === 1,
    expiresAt: iso(row.expires_at),
    createdAt: iso(row.created_at),
    createdBy: row.created_by,
    revokedAt: row.revoked_at === null ? null : iso(row.revoked_at),
    status: inviteStatus(row, now),
  };
}

export function toWireInviteRequest(row: InviteRequestRow): InviteRequest {
  return {
    id: row.id,
    inviteId: row.invite_id,
    kind: row.room_id === null ? 'organisation' : 'room',
    room: row.room_id === null ? null : { id: row.room_id, name: row.room_name },
    userId: row.user_id,
    username: row.username,
    displayName: row.display_name,
    status: row.status,
    requestedAt: iso(row.requested_at),
    decidedAt: row.decided_at === null ? null : iso(row.decided_at),
  };
}
