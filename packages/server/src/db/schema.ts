import type { ColumnType, Generated, Insertable, Selectable } from 'kysely';
import type { DlpAction, FileMime, ForwardingPolicy, InviteRole, Role, RoomMarking, TraceItemKind } from '@enclave/protocol';

/** Row types of every table, as Kysely sees them. Times are milliseconds since the epoch. */
export interface Database {
  users: UsersTable;
  sessions: SessionsTable;
  rooms: RoomsTable;
  room_members: RoomMembersTable;
  room_member_periods: RoomMemberPeriodsTable;
  messages: MessagesTable;
  events: EventsTable;
  log_head: LogHeadTable;
  audit_log: AuditLogTable;
  audit_head: AuditHeadTable;
  audit_checkpoints: AuditCheckpointsTable;
  totp_recovery_codes: TotpRecoveryCodesTable;
  departments: DepartmentsTable;
  user_departments: UserDepartmentsTable;
  settings: SettingsTable;
  login_challenges: LoginChallengesTable;
  message_versions: MessageVersionsTable;
  reactions: ReactionsTable;
  mentions: MentionsTable;
  read_marks: ReadMarksTable;
  labels: LabelsTable;
  dlp_rules: DlpRulesTable;
  used_confirmations: UsedConfirmationsTable;
  held_messages: HeldMessagesTable;
  invites: InvitesTable;
  invite_requests: InviteRequestsTable;
  search_fts: SearchFtsTable;
  search_documents: SearchDocumentsTable;
  search_backfill: SearchBackfillTable;
  records: RecordsTable;
  records_fts: RecordsFtsTable;
  records_documents: RecordsDocumentsTable;
  files: FilesTable;
  message_files: MessageFilesTable;
  fingerprints: FingerprintsTable;
  fingerprint_bands: FingerprintBandsTable;
  data_keys: DataKeysTable;
  retired_master_keys: RetiredMasterKeysTable;
  keys_state: KeysStateTable;
  daily_export_runs: DailyExportRunsTable;
  trace_marks: TraceMarksTable;
  legal_holds: LegalHoldsTable;
  retention_policies: RetentionPoliciesTable;
  approvals: ApprovalsTable;
  scheduled_messages: ScheduledMessagesTable;
  work_schedules: WorkSchedulesTable;
  holidays: HolidaysTable;
  personal_schedules: PersonalSchedulesTable;
  after_hours_counts: AfterHoursCountsTable;
  email_digests: EmailDigestsTable;
  purge_unaudited: PurgeUnauditedTable;
}

export interface UsersTable {
  id: string;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  created_at: number;
  updated_at: number;
  disabled_at: Generated<number | null>;
  /** A small image as a data: URL. */
  avatar: Generated<string | null>;
  locale: Generated<string | null>;
  /** An IANA zone name such as Asia/Shanghai. */
  time_zone: Generated<string | null>;
  /** The TOTP secret, encrypted; set from enrolment on, even before it is confirmed. */
  totp_secret: Generated<string | null>;
  totp_enabled_at: Generated<number | null>;
  clearance: Generated<string>;
  /** The last TOTP time step accepted, so a code cannot be replayed. */
  totp_last_step: Generated<number | null>;
  /** How long this person's sends wait in their browser, cancellable (0 to 10 s). */
  undo_send_seconds: Generated<number>;
  /** 1 while the person must choose a new password before anything else (a weak or administrator-set one). */
  password_change_required: Generated<number>;
}

/** The second sign-in step's single-use challenges, kept as SHA-256 of the token. */
export interface LoginChallengesTable {
  token_hash: string;
  user_id: string;
  expires_at: number;
  attempts: Generated<number>;
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
  topic: Generated<string | null>;
  department_id: Generated<string | null>;
  frozen_at: Generated<number | null>;
  frozen_by: Generated<string | null>;
  frozen_reason: Generated<string | null>;
  last_message_at: Generated<number | null>;
  ceiling: Generated<string>;
  default_label: Generated<string>;
  guest_count: Generated<number>;
  forwarding: Generated<ForwardingPolicy>;
  copy_allowed: Generated<number>;
  download_allowed: Generated<number>;
  /** Bumped by every membership change: a confirmation token names the version it was given for. */
  membership_version: Generated<number>;
  /**
   * From when `room_member_periods` knows everyone who was in the room: 0 for rooms created after the history was
   * introduced, the migration's time for older ones (who left before it is not known).
   */
  members_recorded_since: Generated<number>;
  /** Where watermarks apply in the room, an administrator's setting (tracing/). */
  marking: Generated<RoomMarking>;
}

export interface RoomMembersTable {
  room_id: string;
  user_id: string;
  role: 'owner' | 'member';
  joined_at: number;
  last_read_position: Generated<number>;
  muted: Generated<number>;
}

/** One stay of a person in a room: written with every join and leave, so it says who could read a message when. */
export interface RoomMemberPeriodsTable {
  room_id: string;
  user_id: string;
  joined_at: number;
  /** Null while they are still in the room. */
  left_at: number | null;
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
  edited_at: Generated<number | null>;
  /** Deleted messages stay for compliance; members no longer see their text. */
  deleted_at: Generated<number | null>;
  reply_count: Generated<number>;
  last_reply_at: Generated<number | null>;
  pinned_at: Generated<number | null>;
  pinned_by: Generated<string | null>;
  /** A thread reply also shown in the room's main timeline. */
  also_in_room: Generated<number>;
  mentions_all: Generated<number>;
  label: Generated<string>;
  /** Recalled by its author within the recall window: members no longer see its text; storage keeps it. */
  recalled_at: Generated<number | null>;
  /** Bits of MessageRestrictions: 1 no forward, 2 no copy, 4 no download (see message-restrictions.ts). */
  restrictions: Generated<number>;
  /** A forward's provenance as JSON (ForwardProvenance), or null. */
  forwarded_from: Generated<string | null>;
  /** 1 when the sender was a guest when sending: the message shows them as external. */
  sender_guest: Generated<number>;
  /**
   * Hidden from everyone in the room when its ceiling was lowered below the message's label and the owner chose to
   * hide what was above: kept for compliance like a deleted message, never read back by a member.
   */
  hidden_at: Generated<number | null>;
  /** A fingerprint copy's origin as JSON (CopyProvenance), or null (provenance/). */
  copied_from: Generated<string | null>;
  /** The sender's reason when they sent it urgent (through quiet hours); null for an ordinary message. */
  urgent_reason: Generated<string | null>;
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

export interface AuditCheckpointsTable {
  seq: number;
  head_hash: string;
  at: number;
  key_id: string;
  signature: string;
}

export interface TotpRecoveryCodesTable {
  user_id: string;
  code_hash: string;
  used_at: number | null;
}

export interface DepartmentsTable {
  id: string;
  name: string;
  parent_id: string | null;
  created_at: number;
}

export interface UserDepartmentsTable {
  user_id: string;
  department_id: string;
}

/** Organisation-wide settings, one JSON value per key. */
/** The days the scheduled eDiscovery export has claimed (started) and finished (ediscovery/daily-export.ts). */
export interface DailyExportRunsTable {
  /** The UTC day exported, YYYY-MM-DD. */
  day: string;
  started_at: number;
  finished_at: number | null;
  /** The file's name in the export directory. */
  file: string | null;
}
export interface SettingsTable {
  key: string;
  value: string;
}

/** The earlier texts of an edited message, kept for compliance; `body` is in stored form. */
export interface MessageVersionsTable {
  message_id: string;
  version: number;
  body: string;
  replaced_at: number;
}

export interface ReactionsTable {
  message_id: string;
  user_id: string;
  emoji: string;
  created_at: number;
}

export interface MentionsTable {
  message_id: string;
  user_id: string;
  room_id: string;
  position: number;
}

/** Every move of a member's read position, so "read by" can say when each reader got there. */
export interface ReadMarksTable {
  room_id: string;
  user_id: string;
  position: number;
  read_at: number;
}

/** A message as read back (generated columns filled in) and as inserted (they may be left out). */
export type MessageRow = Selectable<MessagesTable>;
export type NewMessageRow = Insertable<MessagesTable>;

/** Classification labels, ordered by rank (higher is more sensitive). */
export interface LabelsTable {
  id: string;
  rank: number;
  name_en: string;
  name_zh: string;
  colour: string;
  created_at: number;
  forwarding: Generated<ForwardingPolicy>;
  copy_allowed: Generated<number>;
  download_allowed: Generated<number>;
  /** 1 when what carries the label is watermarked with a trace code (in rooms marked by label). */
  marked: Generated<number>;
}

export interface DlpRulesTable {
  id: string;
  name: string;
  /** DlpDetector as JSON. */
  detector: string;
  /** DlpScope as JSON. */
  scope: string;
  action: DlpAction;
  enabled: number;
  created_by: string;
  created_at: number;
  updated_at: number;
  /** A label id: what this rule's matches raise the label of a message or file to at least. */
  raises_label_to: Generated<string | null>;
}

/** Confirmation tokens already accepted, kept until they expire so none is accepted twice. */
export interface UsedConfirmationsTable {
  token_id: string;
  expires_at: number;
}

/** A send, edit or forward a DLP `review` rule held back until a compliance officer decides. */
export interface HeldMessagesTable {
  id: string;
  kind: 'send' | 'edit' | 'forward';
  status: 'pending' | 'released' | 'rejected';
  room_id: string;
  sender_id: string;
  /** The held text, through message-body.codec like every message body. */
  body: string;
  label: string;
  /** What delivering it needs besides the text (thread, restrictions, the edited message, provenance), as JSON. */
  details: string;
  /** DlpRuleRef[] as JSON. */
  rules: string;
  held_at: number;
  decided_by: string | null;
  decided_at: number | null;
  note: string | null;
  message_id: string | null;
}

/** An invite into the organisation (`room_id` null) or a room. The code is kept only as its SHA-256. */
export interface InvitesTable {
  id: string;
  code_hash: string;
  code_prefix: string;
  room_id: string | null;
  /** Organisation invites: what the newcomer's account gets. */
  role: InviteRole | null;
  clearance: string | null;
  max_uses: number;
  uses: number;
  requires_approval: number;
  expires_at: number;
  created_by: string;
  created_at: number;
  revoked_at: number | null;
  revoked_by: string | null;
}

/** An acceptance of an invite that requires approval, waiting for (or decided by) an administrator. */
export interface InviteRequestsTable {
  id: string;
  invite_id: string;
  status: 'pending' | 'approved' | 'rejected';
  /** The existing account (room invites), or the one created on approval (organisation invites). */
  user_id: string | null;
  username: string;
  display_name: string;
  /** Organisation invites: the chosen password's scrypt hash, until the request is decided. */
  password_hash: string | null;
  requested_at: number;
  decided_by: string | null;
  decided_at: number | null;
}

/**
 * The search index on SQLite: an FTS5 table whose rowid is the message's position and whose one column holds its
 * segmented words (contentless: the words are indexed, never stored). Only search.repository.ts touches it.
 */
export interface SearchFtsTable {
  rowid: number;
  words: string;
  /** The table's own name, as FTS5's MATCH operator takes it; never written. */
  search_fts: ColumnType<string, never, never>;
}

/** The search index on PostgreSQL: the message's words as a tsvector. Only search.repository.ts touches it. */
export interface SearchDocumentsTable {
  position: number;
  words: string;
}

/** Messages below this position were stored before search existed and wait to be indexed at start. */
export interface SearchBackfillTable {
  below_position: number;
}

/**
 * An uploaded file. The bytes are in the files directory under `storage_key` (files/file-store.ts); a pending
 * upload has no `attached_at` and is seen only by its uploader until a message carries it.
 */
export interface FilesTable {
  id: string;
  /** The room it was uploaded into (no foreign key: forwards may carry it on after that room is deleted). */
  room_id: string;
  uploader_id: string;
  name: string;
  size: number;
  /** Sniffed from the content, never taken from the name or the uploader's header. */
  mime: FileMime;
  label: string;
  /** SHA-256 of the content, hex. */
  sha256: string;
  /** The random name of the bytes on disk: 64 hex digits, unguessable. */
  storage_key: string;
  width: number | null;
  height: number | null;
  has_thumbnail: number;
  /** PDFs: the pages of their rendered view, counted when one is first drawn; null until then and for other types. */
  page_count: number | null;
  /** The file's text as extracted at upload (bounded), for DLP at send time and for search. */
  extracted_text: string;
  /** 1 when extraction read the whole file; 0 when it stopped at a limit, bad input or the time limit. */
  text_complete: number;
  created_at: number;
  /** When a message first carried it; null while pending. */
  attached_at: number | null;
  /** The held message (DLP review) that waits to carry it; kept from the sweep and other sends meanwhile. */
  held_id: string | null;
  /** A fingerprint copy's origin as JSON (CopyProvenance), or null (provenance/). */
  copied_from: Generated<string | null>;
  /**
   * 1 when the file is sealed under its data key (`file:<id>`): bytes, thumbnail and views on disk, `name` and
   * `extracted_text` here. 0 for a file stored before encryption (until the upgrade seals it) or with it off.
   */
  sealed: Generated<number>;
}

/**
 * The fingerprint of one stored message or file: hashes only, never content. `origin_id` and `match` say what
 * it is a copy of (a forward's original, or the labelled item its fingerprint matched), for the copy chain.
 */
export interface FingerprintsTable {
  item_id: string;
  item_kind: 'message' | 'file';
  room_id: string;
  sender_id: string;
  label: string;
  created_at: number;
  /** Files: SHA-256 of the bytes, hex. */
  sha256: string | null;
  /** Images: 64-bit difference hash, 16 hex digits. */
  image_hash: string | null;
  /** Text of 40 characters or more: the MinHash signature, hex (provenance/text-shingles.ts). */
  text_signature: string | null;
  origin_id: string | null;
  match: 'forward' | 'exact' | 'perceptual' | 'text-similar' | null;
}

/** Locality-sensitive bands of the perceptual and text hashes: items sharing a band are candidates. */
export interface FingerprintBandsTable {
  band: string;
  item_id: string;
}

/** Which files a message carries, in order. A forward adds rows for the same files. */
export interface MessageFilesTable {
  message_id: string;
  file_id: string;
  position: number;
}

/** A data key wrapped by the master key `master_key_id` (keys/). Only keys.repository.ts touches it. */
export interface DataKeysTable {
  /** `room:<id>`, `file:<id>`, `search` or `records`. */
  owner: string;
  wrapped: string;
  master_key_id: string;
  created_at: number;
}

/** A master key a rotation moved every data key off; only its id is kept, to answer "which keys were ours". */
export interface RetiredMasterKeysTable {
  master_key_id: string;
  retired_at: number;
}

/** Key management's own state, e.g. `encryption.complete` once no plain content from before encryption is left. */
export interface KeysStateTable {
  name: string;
  value: string;
  updated_at: number;
}

/**
 * The compliance records index's rows (records/): texts people's search drops (earlier versions, deleted and
 * recalled messages, held items), with what they are filtered by and never their content.
 */
export interface RecordsTable {
  id: Generated<number>;
  /** `v:<message>:<n>`, `d:<message>`, `r:<message>` or `h:<held>`: one row per text. */
  source: string;
  kind: 'version' | 'deleted' | 'recalled' | 'held';
  message_id: string | null;
  version: number | null;
  held_id: string | null;
  room_id: string;
  sender_id: string;
  /** The message's send time, or the item's hold time. */
  at: number;
  /** Orders records sent in the same millisecond (records/records-order.ts). */
  rank: number;
  label: string;
  has_file: number;
}

/** SQLite: the records index's hashed terms, by `records.id`. */
export interface RecordsFtsTable {
  rowid: number;
  words: string;
  records_fts: ColumnType<string, never, never>;
}

/** PostgreSQL: the records index's hashed terms, by `records.id`. */
export interface RecordsDocumentsTable {
  record_id: number;
  words: string;
}

/** A legal hold matter (holds/). Name and description are sealed with the records key (holds/hold-text.codec.ts). */
export interface LegalHoldsTable {
  id: string;
  name: string;
  description: string;
  /** JSON arrays of user and room ids; empty means "any". */
  custodian_ids: string;
  room_ids: string;
  from_at: number | null;
  to_at: number | null;
  created_by: string;
  created_at: number;
  updated_at: number;
  released_at: number | null;
  released_by: string | null;
}

/** A retention policy (retention/); the organisation default has the empty target id. */
export interface RetentionPoliciesTable {
  scope: 'organisation' | 'room' | 'label';
  target_id: string;
  delete_after_days: number | null;
  keep_at_least_days: number | null;
  updated_at: number;
  updated_by: string;
}

/** A change waiting for a second person (approvals/): its payload names ids, roles and rules, never content. */
export interface ApprovalsTable {
  id: string;
  kind: 'room-admission' | 'role-grant' | 'dlp-rule' | 'password-reset';
  requested_by: string;
  /**
   * The room admitted into, the person whose role or password changes, or the DLP rule changed (null for a new
   * rule). A password reset's payload holds the new password's hash only, like the users table would.
   */
  subject_id: string | null;
  /** The person admitted (room admissions). */
  target_id: string | null;
  payload: string;
  status: 'pending' | 'approved' | 'rejected' | 'cancelled' | 'expired';
  decided_by: string | null;
  requested_at: number;
  decided_at: number | null;
  expires_at: number;
}

/** A message waiting for the server to send it as its sender (scheduled/). */
export interface ScheduledMessagesTable {
  id: string;
  room_id: string;
  sender_id: string;
  /** The sealed text (message-body.codec.ts `scheduledPlace`). */
  body: string;
  send_at: number;
  thread_root_id: string | null;
  /** The label asked for; null for the room's default when it goes. */
  label: string | null;
  /** Bits of MessageRestrictions (message-restrictions.ts). */
  restrictions: number;
  /** Set when it goes urgent: the sender's reason. */
  urgent_reason: string | null;
  status: 'pending' | 'sending' | 'failed';
  /** While `sending`: until when the node that claimed it holds it; past that, another node may take it over. */
  claimed_until: number | null;
  /** While `failed`: the ErrorBody as JSON. */
  error: string | null;
  created_at: number;
  updated_at: number;
}
export type ScheduledMessageRow = Selectable<ScheduledMessagesTable>;
/**
 * A trace code issued to one viewer for one item (tracing/). It holds no content and no foreign key: it outlives
 * the message, file and room it names, and the username is kept as it was when the code was issued.
 */
export interface TraceMarksTable {
  code: string;
  viewer_id: string;
  viewer_username: string;
  kind: TraceItemKind;
  item_id: string;
  /** The room the item was seen in (for a file, the room through which it was reached). */
  room_id: string | null;
  issued_at: number;
  /** SHA-256 of a stamped copy's bytes, for codes issued with a stamped download. */
  stamped_sha256: string | null;
  /** Facts about a stamped copy (JSON: its type, pages), never content. */
  details: string | null;
}

/** The organisation's working hours (department_id '') and departments' own; days are a JSON list of ISO weekdays. */
export interface WorkSchedulesTable {
  department_id: string;
  days: string;
  start_time: string;
  end_time: string;
  time_zone: string;
  /** Read on the organisation's row only: whether people may set hours of their own (1) or not (0). */
  personal_hours_allowed: number;
  updated_at: number;
  updated_by: string;
}

/** The holiday calendar: a day off for everyone, or an adjusted working day (调休), by YYYY-MM-DD. */
export interface HolidaysTable {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
  updated_at: number;
}

/** A person's own schedule: hours (all three set, or none), leave as a JSON list of {from, to}, do-not-disturb. */
export interface PersonalSchedulesTable {
  user_id: string;
  days: string | null;
  start_time: string | null;
  end_time: string | null;
  leave: string;
  dnd_until: number | null;
  /** The start of the working period whose "while you were off" summary was released; it is released once. */
  summary_released_for: Generated<number | null>;
  updated_at: number;
}

/**
 * Messages sent off work, per ISO week (its Monday on the organisation's clock) and per department of the sender
 * ('' for people in none, '*' for the week's total): counts only, never a person or a message.
 */
export interface AfterHoursCountsTable {
  week_start: string;
  department_id: string;
  messages: number;
}

/** What the purge run in progress erased and no audit entry records yet (one row, id 1; retention-purge.ts). */
export interface PurgeUnauditedTable {
  id: number;
  /** `PurgeRunResponse` as JSON: counts per room, never content. */
  counts: string;
  actor_id: string | null;
  ip: string | null;
  updated_at: number;
}

/** A person's e-mail digests: the address an administrator set, their own choice, and the job's state (email-notifications/). */
export interface EmailDigestsTable {
  user_id: string;
  address: string | null;
  opted_out: Generated<number>;
  /** Everything up to this log position was mailed, or was there while the person was connected. */
  notified_position: Generated<number>;
  /** The job's time when it first found something newer still unread; null when nothing waits. */
  pending_since: Generated<number | null>;
  /** After a failed send, not before this. */
  retry_at: Generated<number | null>;
  failures: Generated<number>;
}
