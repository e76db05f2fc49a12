import { z } from 'zod';
import { Id, Timestamp } from './common';
import { User } from './users';

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
export const MeResponse = z.object({ user: User, sessionId: Id });
export const Empty = z.object({});

/** Name of the HttpOnly cookie that carries the web client's session. */
export const SESSION_COOKIE = 'enclave_session';
