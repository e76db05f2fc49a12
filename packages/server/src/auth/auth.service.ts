import { randomBytes, randomUUID } from 'node:crypto';
import type { EndpointOutput, Session, User } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { SettingsService } from '../settings/settings.service';
import { REQUIRE_TWO_FACTOR_KEY } from '../settings/settings.service';
import { toWireUserOf } from '../users/user-wire';
import { findPreferences, findUserByUsername, findUserRowById, updateUser, type UserRow } from '../users/users.access';
import type { Actor } from './actor';
import { findActiveSession, insertSession, listActiveSessions, revokeSessions, revokeSessionsExcept, touchSession } from './auth.repository';
import type { LoginThrottle } from './login-throttle';
import { hashPassword, verifyPassword } from './password';
import type { PasswordPolicy } from './password-policy';
import { hashToken } from './token-hash';
import type { SecondFactor, TwoFactorService } from './two-factor.service';

/** A session's last-seen time is written at most this often, so ordinary requests cause no writes. */
const TOUCH_INTERVAL_MS = 60_000;

export interface AuthDeps {
  db: Kysely<Database>;
  throttle: LoginThrottle;
  passwords: PasswordPolicy;
  passwordHashCost: number;
  sessionDays: number;
  twoFactor: TwoFactorService;
  settings: SettingsService;
  /** Told about every ended session, so live connections signed in with it close at once. */
  onSessionsEnded: (sessionIds: string[]) => void;
}

type Client = { ip: string; userAgent: string | null };

export interface LoginResult {
  token: string;
  sessionId: string;
  user: User;
  passwordChangeRequired: boolean;
}

/** Which limited sessions the route is open to: enrolment in two-factor sign-in, a required password change. */
export interface RouteGates {
  enrolling?: boolean;
  changingPassword?: boolean;
}

export class AuthService {
  private decoyHash: Promise<string> | undefined;

  constructor(private readonly deps: AuthDeps) {}

  /**
   * Checks the password. With two-factor sign-in on, answers TOTP_REQUIRED carrying a challenge for
   * `loginWithSecondFactor` instead of a session.
   */
  async login(input: { username: string; password: string }, client: Client): Promise<LoginResult> {
    const username = input.username.trim().toLowerCase();
    // Unknown names are throttled like known ones, so the throttle's answers do not reveal which names exist.
    const wait = this.deps.throttle.admit(username, client.ip);
    if (wait > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds: wait });

    const found = await findUserByUsername(this.deps.db, username);
    // Hash even for unknown names so the answer time does not reveal which usernames exist.
    const valid = await verifyPassword(input.password, found?.password_hash ?? (await this.decoy()));
    if (!found || !valid) {
      await this.deps.db.transaction().execute((trx) =>
        recordAudit(trx, {
          actorId: found?.id ?? null,
          action: 'auth.login_failed',
          ...(found ? { target: { type: 'user' as const, id: found.id } } : {}),
          data: { username: username.slice(0, 64) },
          ip: client.ip,
        }),
      );
      throw new AppError('INVALID_CREDENTIALS');
    }
    // Told only to someone who knows the password, so it reveals nothing to a guesser.
    if (found.disabled_at !== null) throw new AppError('USER_DISABLED');
    const user = await this.flagWeakPassword(found, input.password, client.ip);
    // The attempt stays counted until the second step passes too, so guessing codes cannot reset it.
    if (user.totp_enabled_at !== null) throw new AppError('TOTP_REQUIRED', { challenge: await this.deps.twoFactor.createChallenge(user.id) });
    this.deps.throttle.succeeded(username, client.ip);
    return this.startSession(user, client, 'password');
  }

  /**
   * Sign-in is the one moment the server holds the plain password, so it is when a stored password the policy no
   * longer accepts (an older, laxer rule, or a raised minimum length) is found; its owner must then change it.
   */
  private async flagWeakPassword(user: UserRow, password: string, ip: string): Promise<UserRow> {
    if (user.password_change_required !== 0) return user;
    const problem = await this.deps.passwords.problemWith(password, [user.username]);
    if (!problem) return user;
    await this.deps.db.transaction().execute(async (trx) => {
      await updateUser(trx, user.id, { password_change_required: 1, updated_at: Date.now() });
      await recordAudit(trx, { actorId: user.id, action: 'user.password_change_required', target: { type: 'user', id: user.id }, data: { reason: problem.reason }, ip });
    });
    // The person's other sessions are held too from now on; their live connections close so that they reconnect
    // into the hold instead of streaming on past it.
    this.endSessions((await listActiveSessions(this.deps.db, user.id, Date.now())).map((session) => session.id));
    return { ...user, password_change_required: 1 };
  }

  /**
   * Changes the actor's own password. The current password is checked through the sign-in throttle, because a
   * session left open would otherwise be an unthrottled way to guess it. Other sessions end; this one stays and
   * becomes an ordinary session if the change was required.
   */
  async changePassword(actor: Actor, currentPassword: string, newPassword: string): Promise<void> {
    const address = actor.ip ?? 'unknown';
    const wait = this.deps.throttle.admit(actor.username, address);
    if (wait > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds: wait });
    const user = await findUserRowById(this.deps.db, actor.userId);
    if (!user) throw new AppError('UNAUTHENTICATED');
    if (!(await verifyPassword(currentPassword, user.password_hash))) throw new AppError('PASSWORD_INCORRECT');
    this.deps.throttle.succeeded(actor.username, address);
    if (newPassword.normalize('NFKC') === currentPassword.normalize('NFKC')) throw new AppError('PASSWORD_TOO_WEAK', { reason: 'same_as_current' });
    await this.deps.passwords.require(newPassword, [user.username]);
    const passwordHash = await hashPassword(newPassword, this.deps.passwordHashCost);
    const ended = await this.deps.db.transaction().execute(async (trx) => {
      await updateUser(trx, user.id, { password_hash: passwordHash, password_change_required: 0, updated_at: Date.now() });
      const ids = await revokeSessionsExcept(trx, user.id, actor.sessionId, Date.now());
      await recordAudit(trx, { actorId: user.id, action: 'user.password_changed', target: { type: 'user', id: user.id }, data: { sessionsEnded: ids.length }, ip: actor.ip });
      return ids;
    });
    this.endSessions(ended);
  }

  async loginWithSecondFactor(challenge: string, factor: SecondFactor, client: Client): Promise<LoginResult> {
    const userId = await this.deps.twoFactor.passChallenge(challenge, factor, client.ip);
    const user = await findUserRowById(this.deps.db, userId);
    if (!user) throw new AppError('UNAUTHENTICATED');
    if (user.disabled_at !== null) throw new AppError('USER_DISABLED');
    this.deps.throttle.succeeded(user.username, client.ip);
    return this.startSession(user, client, factor.code !== undefined ? 'totp' : 'recovery-code');
  }

  private async startSession(user: UserRow, client: Client, method: 'password' | 'totp' | 'recovery-code'): Promise<LoginResult> {
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
      await recordAudit(trx, { actorId: user.id, action: 'auth.login', target: { type: 'session', id: sessionId }, data: { method }, ip: client.ip });
    });
    return { token, sessionId, user: await toWireUserOf(this.deps.db, user), passwordChangeRequired: user.password_change_required !== 0 };
  }

  /**
   * Resolves a bearer or cookie token to the actor, or refuses with UNAUTHENTICATED. While the user must change
   * their password, only the routes open to that (`changingPassword`) pass; while the organisation requires
   * two-factor sign-in and the user has not turned it on, only enrolment endpoints (`enrolling`) pass.
   */
  async authenticate(token: string | undefined, ip: string | null, options: RouteGates = {}): Promise<Actor> {
    if (!token) throw new AppError('UNAUTHENTICATED');
    const now = Date.now();
    const session = await findActiveSession(this.deps.db, hashToken(token), now, REQUIRE_TWO_FACTOR_KEY);
    if (!session) throw new AppError('UNAUTHENTICATED');
    if (!options.changingPassword && Number(session.passwordChangeRequired) !== 0) throw new AppError('PASSWORD_CHANGE_REQUIRED');
    if (!options.enrolling && session.totpEnabledAt === null && session.requireTwoFactor === 'true') throw new AppError('TOTP_ENROLMENT_REQUIRED');
    if (now - Number(session.lastSeenAt) > TOUCH_INTERVAL_MS) await touchSession(this.deps.db, session.sessionId, now);
    return { userId: session.userId, username: session.username, role: session.role, sessionId: session.sessionId, ip };
  }

  async me(actor: Actor): Promise<EndpointOutput<'me'>> {
    const row = await findUserRowById(this.deps.db, actor.userId);
    if (!row) throw new AppError('UNAUTHENTICATED');
    const [user, enabled, settings, preferences] = await Promise.all([
      toWireUserOf(this.deps.db, row),
      this.deps.twoFactor.isEnabled(actor.userId),
      this.deps.settings.getSettings(),
      findPreferences(this.deps.db, actor.userId),
    ]);
    const password = { changeRequired: row.password_change_required !== 0, minLength: settings.passwordMinLength };
    return { user, sessionId: actor.sessionId, twoFactor: { enabled, required: settings.requireTwoFactor }, password, recallWindowSeconds: settings.recallWindowSeconds, recallReachesCopies: settings.recallReachesCopies, filePolicy: settings.files, preferences };
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

  /** "Sign out all other devices": every session of the actor but the current one. */
  async revokeOtherSessions(actor: Actor): Promise<number> {
    const revoked = await this.deps.db.transaction().execute(async (trx) => {
      const ids = await revokeSessionsExcept(trx, actor.userId, actor.sessionId, Date.now());
      for (const id of ids) await recordAudit(trx, { actorId: actor.userId, action: 'auth.session_revoked', target: { type: 'session', id }, data: { others: true }, ip: actor.ip });
      return ids;
    });
    this.endSessions(revoked);
    return revoked.length;
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
