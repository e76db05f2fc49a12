import { randomUUID } from 'node:crypto';
import type { ProfileUpdateRequest, Role, User } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../auth/actor';
import type { AuthService } from '../auth/auth.service';
import { ceilingsOfUserRooms } from '../labels/labels.repository';
import { DEFAULT_LABEL, type LabelsService } from '../labels/labels.service';
import { hashPassword } from '../auth/password';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import { toWireUserOf, toWireUsers } from './user-wire';
import { countActiveAdmins, countUsers, findUserById, findUserByUsername, insertUser, listUsers, updateUser, type PublicUserRow } from './users.repository';

export interface UsersDeps {
  db: Kysely<Database>;
  auth: AuthService;
  labels: LabelsService;
  passwordHashCost: number;
}

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  clearance?: string | undefined;
}

export interface UserPage {
  users: User[];
  nextCursor: string | null;
}

/** Who did it: a signed-in admin, or the operator at the command line (no actor id). */
export type Operator = Pick<Actor, 'userId' | 'ip'> | { userId: null; ip: null };

export class UsersService {
  constructor(private readonly deps: UsersDeps) {}

  async createUser(operator: Operator, input: NewUser): Promise<User> {
    if (await findUserByUsername(this.deps.db, input.username)) throw new AppError('USERNAME_TAKEN');
    const clearance = input.clearance ?? DEFAULT_LABEL;
    (await this.deps.labels.ranks()).rankOf(clearance);
    const passwordHash = await hashPassword(input.password, this.deps.passwordHashCost);
    const now = Date.now();
    const row = {
      id: randomUUID(),
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      clearance,
      password_hash: passwordHash,
      created_at: now,
      updated_at: now,
    };
    await this.deps.db.transaction().execute(async (trx) => {
      // Re-checked inside the transaction: the unique index would also refuse, but with a less useful error.
      if (await findUserByUsername(trx, input.username)) throw new AppError('USERNAME_TAKEN');
      await insertUser(trx, row);
      await recordAudit(trx, {
        actorId: operator.userId,
        action: 'user.created',
        target: { type: 'user', id: row.id },
        data: { username: row.username, role: row.role },
        ip: operator.ip,
      });
    });
    return this.getUser(row.id);
  }

  /** The first start creates the first admin; later starts find users and do nothing. */
  async ensureFirstAdmin(username: string, password: string): Promise<User | undefined> {
    if ((await countUsers(this.deps.db)) > 0) return undefined;
    return this.createUser({ userId: null, ip: null }, { username, password, displayName: 'Administrator', role: 'admin' });
  }

  /** One page of the directory; the cursor is opaque to clients (it is the last username, encoded). */
  async listUsers(options: { q?: string | undefined; departmentId?: string | undefined; cursor?: string | undefined; limit: number }): Promise<UserPage> {
    const rows = await listUsers(this.deps.db, {
      search: options.q,
      departmentId: options.departmentId,
      afterUsername: options.cursor === undefined ? undefined : Buffer.from(options.cursor, 'base64url').toString('utf8'),
      limit: options.limit + 1,
    });
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > options.limit && last ? Buffer.from(last.username, 'utf8').toString('base64url') : null;
    return { users: await toWireUsers(this.deps.db, page), nextCursor };
  }

  async getUser(id: string): Promise<User> {
    return toWireUserOf(this.deps.db, await this.requireUserRow(id));
  }

  async findByUsername(username: string): Promise<User> {
    const row = await findUserByUsername(this.deps.db, username);
    if (!row) throw new AppError('USER_NOT_FOUND');
    return toWireUserOf(this.deps.db, row);
  }

  async updateUser(
    operator: Operator,
    id: string,
    changes: { displayName?: string | undefined; role?: Role | undefined; clearance?: string | undefined },
  ): Promise<User> {
    const before = await this.requireUserRow(id);
    if (changes.clearance !== undefined) await this.checkClearance(id, changes.clearance);
    await this.deps.db.transaction().execute(async (trx) => {
      if (before.role === 'admin' && changes.role === 'member') await this.checkNotLastAdmin(trx, before);
      await updateUser(trx, id, {
        ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        ...(changes.clearance !== undefined ? { clearance: changes.clearance } : {}),
        updated_at: Date.now(),
      });
      await recordAudit(trx, {
        actorId: operator.userId,
        action: 'user.updated',
        target: { type: 'user', id },
        data: {
          ...(changes.role !== undefined && changes.role !== before.role ? { role: { from: before.role, to: changes.role } } : {}),
          ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
          ...(changes.clearance !== undefined && changes.clearance !== before.clearance ? { clearance: { from: before.clearance, to: changes.clearance } } : {}),
        },
        ip: operator.ip,
      });
    });
    return this.getUser(id);
  }

  /** Changes one's own profile. The audit entry names the fields changed, never the picture itself. */
  async updateProfile(actor: Actor, changes: ProfileUpdateRequest): Promise<User> {
    await this.deps.db.transaction().execute(async (trx) => {
      await updateUser(trx, actor.userId, {
        ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
        ...(changes.avatar !== undefined ? { avatar: changes.avatar } : {}),
        ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
        ...(changes.timeZone !== undefined ? { time_zone: changes.timeZone } : {}),
        updated_at: Date.now(),
      });
      await recordAudit(trx, {
        actorId: actor.userId,
        action: 'user.profile_updated',
        target: { type: 'user', id: actor.userId },
        data: { fields: Object.keys(changes).filter((key) => changes[key as keyof ProfileUpdateRequest] !== undefined) },
        ip: actor.ip,
      });
    });
    return this.getUser(actor.userId);
  }

  /** Sets a new password and signs the user out everywhere, so a taken-over account is cut off. */
  async resetPassword(operator: Operator, id: string, password: string): Promise<void> {
    await this.requireUserRow(id);
    const passwordHash = await hashPassword(password, this.deps.passwordHashCost);
    const ended = await this.deps.db.transaction().execute(async (trx) => {
      await updateUser(trx, id, { password_hash: passwordHash, updated_at: Date.now() });
      const sessions = await this.deps.auth.revokeAllSessions(trx, id);
      await recordAudit(trx, { actorId: operator.userId, action: 'user.password_reset', target: { type: 'user', id }, data: { sessionsEnded: sessions.length }, ip: operator.ip });
      return sessions;
    });
    this.deps.auth.endSessions(ended);
  }

  /** Disables an account: every session ends and its live streams close; signing in answers USER_DISABLED. */
  async disableUser(operator: Operator, id: string): Promise<User> {
    const before = await this.requireUserRow(id);
    if (before.disabled_at !== null) return this.getUser(id);
    const ended = await this.deps.db.transaction().execute(async (trx) => {
      if (before.role === 'admin') await this.checkNotLastAdmin(trx, before);
      await updateUser(trx, id, { disabled_at: Date.now(), updated_at: Date.now() });
      const sessions = await this.deps.auth.revokeAllSessions(trx, id);
      await recordAudit(trx, { actorId: operator.userId, action: 'user.disabled', target: { type: 'user', id }, data: { sessionsEnded: sessions.length }, ip: operator.ip });
      return sessions;
    });
    this.deps.auth.endSessions(ended);
    return this.getUser(id);
  }

  async enableUser(operator: Operator, id: string): Promise<User> {
    const before = await this.requireUserRow(id);
    if (before.disabled_at === null) return this.getUser(id);
    await this.deps.db.transaction().execute(async (trx) => {
      await updateUser(trx, id, { disabled_at: null, updated_at: Date.now() });
      await recordAudit(trx, { actorId: operator.userId, action: 'user.enabled', target: { type: 'user', id }, ip: operator.ip });
    });
    return this.getUser(id);
  }

  private async requireUserRow(id: string): Promise<PublicUserRow> {
    const row = await findUserById(this.deps.db, id);
    if (!row) throw new AppError('USER_NOT_FOUND');
    return row;
  }

  /** Counted inside the caller's transaction; an admin already disabled does not keep the organisation running. */
  private async checkNotLastAdmin(trx: Transaction<Database>, admin: PublicUserRow): Promise<void> {
    if (admin.disabled_at === null && (await countActiveAdmins(trx)) <= 1) throw new AppError('LAST_ADMIN');
  }

  /** A clearance must be a known label, and may not fall below the ceiling of a room the person is in. */
  private async checkClearance(userId: string, clearance: string): Promise<void> {
    const ranks = await this.deps.labels.ranks();
    ranks.rankOf(clearance);
    const above = (await ceilingsOfUserRooms(this.deps.db, userId)).filter((room) => !ranks.fits(room.ceiling, clearance));
    if (above.length > 0) throw new AppError('CLEARANCE_TOO_LOW', { roomIds: above.map((room) => room.roomId), clearance });
  }
}
