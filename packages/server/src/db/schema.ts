import type { Generated } from 'kysely';

/** Row types of every table, as Kysely sees them. Times are milliseconds since the epoch. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  rooms: RoomsTable;
  room_members: RoomMembersTable;
  messages: MessagesTable;
  events: EventsTable;
  log_head: LogHeadTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: 'admin' | 'member';
  password_hash: string;
  created_at: number;
  updated_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  token_hash: string;
  created_at: number;
  last_seen_at: number;
  expires_at: number;
  user_agent: string | null;
  revoked_at: number | null;
}

export interface RoomsTable {
  id: string;
  kind: 'channel' | 'group' | 'dm';
  name: string | null;
  /** The two member ids of a direct message, sorted and joined, so one pair has one room. */
  dm_key: string | null;
  created_by: string;
  created_at: number;
  member_count: number;
}

export interface RoomMembersTable {
  room_id: string;
  user_id: string;
  role: 'owner' | 'member';
  joined_at: number;
  last_read_position: Generated<number>;
}

export interface MessagesTable {
  id: string;
  room_id: string;
  sender_id: string;
  /** The stored form of the text; only message-body.codec.ts reads or writes it. */
  body: string;
  thread_root_id: string | null;
  client_id: string | null;
  position: number;
  created_at: number;
}

/** Logged events other than new messages (those are their own log entries in `messages`). */
export interface EventsTable {
  position: number;
  /** Delivered to the room's members, or… */
  room_id: string | null;
  /** …to one user only. Exactly one of the two is set. */
  user_id: string | null;
  type: string;
  payload: string;
  created_at: number;
}

export interface LogHeadTable {
  id: number;
  position: number;
}

export interface AuditLogTable {
  seq: number;
  at: number;
  actor_id: string | null;
  action: string;
  target_type: string | null;
  target_id: string | null;
  data: string;
  ip: string | null;
  prev_hash: string;
  hash: string;
}

export interface AuditHeadTable {
  id: number;
  seq: number;
  hash: string;
}
