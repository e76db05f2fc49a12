import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Session, User } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import { toWireUser } from '../users/user-wire';
import { findUserById, findUserByUsername } from '../users/users.repository';
import type { Actor } from './actor';
import { findActiveSession, insertSession, listActiveSessions, revokeSessions, touchSession } from './auth.repository';
import type { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './password';

/** A session's last-seen time is written at most this often, so ordinary requests cause no writes. */
const TOUCH_INTERVAL_MS = 60_000;

export interface AuthDeps {
  db: Kysely<Database>;
  throttle: LoginThrottle;
  passwordHashCost: number;
  sessionDays: number;
  /** Told about every ended session, so live connections signed in with it close at once. */
  onSessionsEnded: (sessionIds: string[]) => void;
}

export interface LoginResult {
  token: string;
  sessionId: string;
  user: User;
}

export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

export class AuthService {
  private decoyHash: Promise<string> | undefined;

  constructor(private readonly deps: AuthDeps) {}

  async login(input: { username: string; password: string }, client: { ip: string; userAgent: string | null }): Promise<LoginResult> {
    const username = input.username.trim().toLowerCase();
    const wait = this.deps.throttle.admit(username, client.ip);
    if (wait > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds: wait });

    const user = await findUserByUsername(this.deps.db, username);
    // Hash even for unknown names so the answer time does not reveal which usernames exist.
    const valid = await verifyPassword(input.password, user?.password_hash ?? (await this.decoy()));
    if (!user || !valid) {
      this.deps.throttle.failed(username);
      await this.deps.db.transaction().execute((trx) =>
        recordAudit(trx, {
          actorId: user?.id ?? null,
          action: 'auth.login_failed',
          ...(user ? { target: { type: 'user' as const, id: user.id } } : {}),
          data: { username: username.slice(0, 64) },
          ip: client.ip,
        }),
      );
      throw new AppError('INVALID_CREDENTIALS');
    }
    this.deps.throttle.succeeded(username);

    const token = randomBytes(32).toString('base64url');
    const now = Date.now();
    const sessionId = randomUUID();
    await this.deps.db.transaction().execute(async (trx) => {
      await insertSession(trx, {
        id: sessionId,
        user_id: user.id,
        token_hash: hashToken(token),
        created_at: now,
        last_seen_at: now,
        expires_at: now + this.deps.sessionDays * 86_400_000,
        user_agent: client.userAgent?.slice(0, 256) ?? null,
        revoked_at: null,
      });
      await recordAudit(trx, { actorId: user.id, action: 'auth.login', target: { type: 'session', id: sessionId }, ip: client.ip });
    });
    return { token, sessionId, user: toWireUser(user) };
  }

  /** Resolves a bearer or cookie token to the actor, or refuses with UNAUTHENTICATED. */
  async authenticate(token: string | undefined, ip: string | null): Promise<Actor> {
    if (!token) throw new AppError('UNAUTHENTICATED');
    const now = Date.now();
    const session = await findActiveSession(this.deps.db, hashToken(token), now);
    if (!session) throw new AppError('UNAUTHENTICATED');
    if (now - Number(session.lastSeenAt) > TOUCH_INTERVAL_MS) await touchSession(this.deps.db, session.sessionId, now);
    return { userId: session.userId, username: session.username, role: session.role, sessionId: session.sessionId, ip };
  }

  async currentUser(actor: Actor): Promise<User> {
    const row = await findUserById(this.deps.db, actor.userId);
    if (!row) throw new AppError('UNAUTHENTICATED');
    return toWireUser(row);
  }

  async logout(actor: Actor): Promise<void> {
    await this.revoke(actor, [actor.sessionId], 'auth.logout');
  }

  async listSessions(actor: Actor): Promise<Session[]> {
    const rows = await listActiveSessions(this.deps.db, actor.userId, Date.now());
    return rows.map((row) => ({
      id: row.id,
      createdAt: new Date(Number(row.created_at)).toISOString(),
      lastSeenAt: new Date(Number(row.last_seen_at)).toISOString(),
      expiresAt: new Date(Number(row.expires_at)).toISOString(),
      userAgent: row.user_agent,
      current: row.id === actor.sessionId,
    }));
  }

  /** Signs out one of the actor's own devices; someone else's session id is "not found". */
  async revokeSession(actor: Actor, sessionId: string): Promise<void> {
    const revoked = await this.revoke(actor, [sessionId], 'auth.session_revoked');
    if (revoked.length === 0) throw new AppError('SESSION_NOT_FOUND');
  }

  /** Ends every session of a user inside the caller's transaction; the caller reports them once it commits. */
  async revokeAllSessions(trx: Transaction<Database>, userId: string): Promise<string[]> {
    return revokeSessions(trx, userId, Date.now());
  }

  endSessions(sessionIds: string[]): void {
    if (sessionIds.length > 0) this.deps.onSessionsEnded(sessionIds);
  }

  private async revoke(actor: Actor, sessionIds: string[], action: 'auth.logout' | 'auth.session_revoked'): Promise<string[]> {
    const revoked = await this.deps.db.transaction().execute(async (trx) => {
      const ids = await revokeSessions(trx, actor.userId, Date.now(), sessionIds);
      for (const id of ids) await recordAudit(trx, { actorId: actor.userId, action, target: { type: 'session', id }, ip: actor.ip });
      return ids;
    });
    this.endSessions(revoked);
    return revoked;
  }

  private decoy(): Promise<string> {
    this.decoyHash ??= hashPassword(randomBytes(16).toString('hex'), this.deps.passwordHashCost);
    return this.decoyHash;
  }
}
