import { z } from 'zod';
import { FilePolicy } from './admin-settings';
import { Id, Timestamp } from './common';
import { RecoveryCode, TotpCode } from './two-factor';
import { Password, User } from './users';

export const LoginRequest = z.object({
  username: z.string().min(1).max(64),
  password: z.string().min(1).max(256),
  /** The web client asks for an HttpOnly cookie instead of a token it would have to keep in script reach. */
  useCookie: z.boolean().optional(),
});
export const LoginResponse = z.object({
  /** Present unless the session lives in a cookie. */
  token: z.string().optional(),
  user: User,
  sessionId: Id,
  /**
   * The password must be changed before anything else (it fails the current policy, or an administrator set it):
   * until then the session may only read `me`, change the password and sign out (PASSWORD_CHANGE_REQUIRED).
   */
  passwordChangeRequired: z.boolean(),
});
export const Session = z.object({
  id: Id,
  createdAt: Timestamp,
  lastSeenAt: Timestamp,
  expiresAt: Timestamp,
  userAgent: z.string().nullable(),
  current: z.boolean(),
});
export type Session = z.infer<typeof Session>;
export const SessionListResponse = z.object({ sessions: z.array(Session) });
export const SessionIdParams = z.object({ sessionId: Id });
export const MeResponse = z.object({
  user: User,
  sessionId: Id,
  twoFactor: z.object({
    enabled: z.boolean(),
    /** The organisation requires two-factor sign-in; while it is off, only enrolment is allowed. */
    required: z.boolean(),
  }),
  password: z.object({
    /** As in the sign-in answer: only changing the password and signing out work until it is changed. */
    changeRequired: z.boolean(),
    /** The organisation's shortest password, so a form can say it before sending. */
    minLength: z.number().int().positive(),
  }),
  /** How long after sending I may recall a message (0: never). */
  recallWindowSeconds: z.number().int().nonnegative(),
  /** Whether a recall may also take the message's forwards and copies with it (`includeCopies`). */
  recallReachesCopies: z.boolean(),
  /** The organisation's largest file and allowed types, so a client can refuse a hopeless upload before sending it. */
  filePolicy: FilePolicy,
  /** My own choices that other people do not see. */
  preferences: z.object({ undoSendSeconds: z.number().int().min(0).max(10) }),
});
/**
 * The second sign-in step: the challenge from the TOTP_REQUIRED answer and either a current code or a recovery
 * code. Answers like `login`.
 */
export const LoginTwoFactorRequest = z
  .object({
    challenge: z.string().min(1).max(200),
    code: TotpCode.optional(),
    recoveryCode: RecoveryCode.optional(),
    useCookie: z.boolean().optional(),
  })
  .refine((v) => (v.code === undefined) !== (v.recoveryCode === undefined), 'give either code or recoveryCode');
/** Changing one's own password needs the current one, so a session left open is not enough to take the account. */
export const PasswordChangeRequest = z.object({ currentPassword: z.string().min(1).max(256), newPassword: Password });
export const RevokeOtherSessionsResponse = z.object({ revoked: z.number().int().nonnegative() });
export const Empty = z.object({});

/** Name of the HttpOnly cookie that carries the web client's session. */
export const SESSION_COOKIE = 'enclave_session';
