import { z } from 'zod';
import { Id, Timestamp } from './common';
import { LabelId } from './labels';
import { LocaleSchema } from './profile';

/**
 * `compliance` officers work the DLP review queue and read the audit log, and are separate from `admin`; a `guest`
 * is an external partner admitted to chosen rooms only and always shown as external.
 */
export const Role = z.enum(['admin', 'compliance', 'member', 'guest']);
export type Role = z.infer<typeof Role>;

export const Username = z
  .string()
  .min(2)
  .max(32)
  .regex(/^[a-z0-9][a-z0-9._-]*$/, 'lower-case letters, digits, dot, dash and underscore; starts with a letter or digit');
/**
 * A new password as the wire carries it. Its strength (length, common passwords, control characters) is the
 * server's password policy, which answers PASSWORD_TOO_WEAK with the reason, so the schema only bounds the size.
 */
export const Password = z.string().min(1).max(256);

/** Why a password was refused: the `reason` in PASSWORD_TOO_WEAK's data (`minimum` comes with `too_short`). */
export const PasswordWeakness = z.enum(['too_short', 'whitespace', 'control_characters', 'common', 'predictable', 'same_as_current']);
export type PasswordWeakness = z.infer<typeof PasswordWeakness>;
export const DisplayName = z.string().trim().min(1).max(64);

export const User = z.object({
  id: Id,
  username: Username,
  displayName: z.string(),
  role: Role,
  createdAt: Timestamp,
  /** A small picture as a data: URL, or null for initials. */
  avatar: z.string().nullable(),
  /** The language the person chose, or null to follow their browser. */
  locale: LocaleSchema.nullable(),
  /** The IANA time zone the person chose, or null to follow their device. */
  timeZone: z.string().nullable(),
  /** A disabled account cannot sign in; it stays listed so old messages keep their author. */
  disabled: z.boolean(),
  /** Empty when a guest looks at someone else: guests do not learn the organisation's structure. */
  departmentIds: z.array(Id),
  /** An external partner (role `guest`): every client shows "External / 外部" next to the name. */
  guest: z.boolean(),
  /** The most sensitive label this person may be trusted with. */
  clearance: LabelId,
});
export type User = z.infer<typeof User>;

export const UserCreateRequest = z.object({
  username: Username,
  password: Password,
  displayName: DisplayName,
  role: Role.default('member'),
  /** Internal when left out. */
  clearance: LabelId.optional(),
});
export const UserResponse = z.object({ user: User });
export const UserListRequest = z.object({
  q: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  /** The `nextCursor` of the previous page. */
  cursor: z.string().max(200).optional(),
  /** Only the members of this department. */
  departmentId: Id.optional(),
});
export const UserListResponse = z.object({
  users: z.array(User),
  /** Pass as `cursor` for the next page; null on the last page. */
  nextCursor: z.string().nullable(),
});
export const UserUpdateRequest = z
  .object({ displayName: DisplayName.optional(), role: Role.optional(), clearance: LabelId.optional() })
  .refine((v) => v.displayName !== undefined || v.role !== undefined || v.clearance !== undefined, 'nothing to change');
export const UserPasswordRequest = z.object({ password: Password });
export const UserIdParams = z.object({ userId: Id });
export const UserDepartmentsRequest = z.object({ departmentIds: z.array(Id).max(100) });
