import type { Room, RoomSummary } from '@enclave/protocol';
import type { RoomRow } from './rooms.repository';

function iso(time: number): string {
  return new Date(Number(time)).toISOString();
}

export function toWireRoom(row: RoomRow): Room {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    createdBy: row.created_by,
    createdAt: iso(row.created_at),
    memberCount: Number(row.member_count),
    topic: row.topic,
    frozen: row.frozen_at === null ? null : { at: iso(row.frozen_at), by: row.frozen_by ?? '', reason: row.frozen_reason ?? '' },
    lastMessageAt: row.last_message_at === null ? null : iso(row.last_message_at),
    ceiling: row.ceiling,
    defaultLabel: row.default_label,
    guestCount: Number(row.guest_count),
    forwarding: row.forwarding,
    copyAllowed: Number(row.copy_allowed) === 1,
    downloadAllowed: Number(row.download_allowed) === 1,
    marking: row.marking,
    marked: Number(row.marked) === 1,
  };
}

export function toRoomSummary(
  row: RoomRow & { my_role: 'owner' | 'member'; last_read_position: number | string; muted: number | string },
  extra: { unreadCount: number; mentionCount: number; dmMemberIds: string[] },
): RoomSummary {
  return {
    ...toWireRoom(row),
    myRole: row.my_role,
    lastReadPosition: Number(row.last_read_position),
    unreadCount: extra.unreadCount,
    mentionCount: extra.mentionCount,
    dmPeerId: row.kind === 'dm' && extra.dmMemberIds.length === 1 ? extra.dmMemberIds[0]! : null,
    dmMemberIds: row.kind === 'dm' ? extra.dmMemberIds : [],
    muted: Number(row.muted) === 1,
  };
}
