import { z } from 'zod';
import { DEFAULT_ALLOWED_FILE_TYPES, FILE_SIZE_CEILING, FileMime } from './files';
import { Id } from './common';
import { EmailNotificationPolicy } from './email-notifications';
import { LabelId } from './labels';
import { Role } from './users';

/** When a send must be confirmed by its sender (CONFIRMATION_REQUIRED): any one condition that holds is enough. */
export const SendGuardPolicy = z.object({
  /** The room has guests. */
  guests: z.boolean(),
  /** The room has people outside the sender's departments. */
  otherDepartments: z.boolean(),
  /** The room has more members than this; null for no limit. */
  membersAbove: z.number().int().min(1).max(1_000_000).nullable(),
  /** The message is labelled this or above; null for never. */
  labelAtOrAbove: LabelId.nullable(),
  /** The message carries files. */
  files: z.boolean(),
});
export type SendGuardPolicy = z.infer<typeof SendGuardPolicy>;
/** A fresh install asks for confirmation only when the room has guests or the message is confidential or above. */
export const DEFAULT_SEND_GUARD: SendGuardPolicy = { guests: true, otherDepartments: false, membersAbove: null, labelAtOrAbove: 'confidential', files: false };

/**
 * Who may send a message `urgent`, ringing through recipients' quiet hours: anyone with one of `roles`, anyone
 * named in `userIds`, and (with `roomOwners`) an owner of the room it goes to. Each sender may do so `perHour`
 * times in any hour (URGENT_RATE_LIMITED beyond); 0 turns urgent sends off for everyone.
 */
export const UrgentPolicy = z.object({
  roles: z.array(Role).max(4).refine((roles) => new Set(roles).size === roles.length, 'each role once'),
  userIds: z.array(Id).max(1000).refine((ids) => new Set(ids).size === ids.length, 'each person once'),
  roomOwners: z.boolean(),
  perHour: z.number().int().min(0).max(60),
});
export type UrgentPolicy = z.infer<typeof UrgentPolicy>;
/** A fresh install lets administrators and the room's owners override quiet hours, three times an hour each. */
export const DEFAULT_URGENT_POLICY: UrgentPolicy = { roles: ['admin'], userIds: [], roomOwners: true, perHour: 3 };

/** What may be uploaded. */
export const FilePolicy = z.object({
  /** The largest upload in bytes (FILE_TOO_LARGE above it). */
  maxBytes: z.number().int().min(1).max(FILE_SIZE_CEILING),
  /** The sniffed types accepted (FILE_TYPE_NOT_ALLOWED otherwise). */
  allowedTypes: z.array(FileMime).refine((types) => new Set(types).size === types.length, 'each type once'),
});
export type FilePolicy = z.infer<typeof FilePolicy>;
export const DEFAULT_FILE_POLICY: FilePolicy = { maxBytes: 25 * 1024 * 1024, allowedTypes: DEFAULT_ALLOWED_FILE_TYPES };

/** The shortest password a fresh install accepts, and the floor no administrator can go below. */
export const DEFAULT_PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MIN_LENGTH_FLOOR = 8;

/** Organisation-wide settings an administrator controls. */
export const AdminSettings = z.object({
  /** Everyone must turn on two-factor sign-in before using Enclave. */
  requireTwoFactor: z.boolean(),
  /** How long after sending its author may recall a message; 0 turns recall off. */
  recallWindowSeconds: z.number().int().min(0).max(86_400),
  sendGuard: SendGuardPolicy,
  /** The highest clearance a guest may be given. */
  guestMaxClearance: LabelId,
  files: FilePolicy,
  /** The shortest password accepted; a stored password shorter than this must be changed at its next sign-in. */
  passwordMinLength: z.number().int().min(PASSWORD_MIN_LENGTH_FLOOR).max(128),
  /** A sender recalling a message with `includeCopies` also recalls its forwards and fingerprint copies. */
  recallReachesCopies: z.boolean(),
  /**
   * The records policy for shutting rooms down: true (the default) means a room is deleted only after a compliance
   * officer exported it once it was frozen; false means the organisation keeps no archive of deleted rooms. The
   * deletion certificate records which applied.
   */
  archiveBeforeRoomDeletion: z.boolean(),
  urgent: UrgentPolicy,
  /** E-mail digests of missed mentions and direct messages (off on a fresh install). */
  emailNotifications: EmailNotificationPolicy,
});
export type AdminSettings = z.infer<typeof AdminSettings>;
export const AdminSettingsUpdateRequest = AdminSettings.partial().refine((v) => Object.keys(v).length > 0, 'nothing to change');
export const AdminSettingsResponse = z.object({ settings: AdminSettings });
