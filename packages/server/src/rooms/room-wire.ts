import type { Room, RoomSummary } from '@enclave/protocol';
import type { RoomRow } from './rooms.repository';

export function toWireRoom(row: RoomRow): Room {
  return {
    id: row.id,
    kind: row.kind,
    name: row.name,
    createdBy: row.created_by,
    createdAt: new Date(Number(row.created_at)).toISOString(),
    memberCount: Number(row.member_count),
  };
}

export function toRoomSummary(
  row: RoomRow & { my_role: 'owner' | 'member'; last_read_position: number | string },
  extra: { unreadCount: number; dmPeerId: string | null },
): RoomSummary {
  return {
    ...toWireRoom(row),
    myRole: row.my_role,
    lastReadPosition: Number(row.last_read_position),
    unreadCount: extra.unreadCount,
    dmPeerId: extra.dmPeerId,
  };
}
