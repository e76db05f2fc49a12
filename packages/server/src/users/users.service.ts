import { randomUUID } from 'node:crypto';
import type { Role, User } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { AuthService } from '../auth/auth.service';
import { hashPassword } from '../auth/password';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import { toWireUser } from './user-wire';
import { countAdmins, countUsers, findUserById, findUserByUsername, insertUser, listUsers, updateUser } from './users.repository';

export interface UsersDeps {
  db: Kysely<Database>;
  auth: AuthService;
  passwordHashCost: number;
}

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
}

/** Who did it: a signed-in admin, or the operator at the command line (no actor id). */
export type Operator = Pick<Actor, 'userId' | 'ip'> | { userId: null; ip: null };

export class UsersService {
  constructor(private readonly deps: UsersDeps) {}

  async createUser(operator: Operator, input: NewUser): Promise<User> {
    if (await findUserByUsername(this.deps.db, input.username)) throw new AppError('USERNAME_TAKEN');
    const passwordHash = await hashPassword(input.password, this.deps.passwordHashCost);
    const now = Date.now();
    const row = {
      id: randomUUID(),
      username: input.username,
      display_name: input.displayName,
      role: input.role,
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
    return toWireUser(row);
  }

  /** The first start creates the first admin; later starts find users and do nothing. */
  async ensureFirstAdmin(username: string, password: string): Promise<User | undefined> {
    if ((await countUsers(this.deps.db)) > 0) return undefined;
    return this.createUser({ userId: null, ip: null }, { username, password, displayName: 'Administrator', role: 'admin' });
  }

  async listUsers(search: string | undefined, limit: number): Promise<User[]> {
    return (await listUsers(this.deps.db, { search, limit })).map(toWireUser);
  }

  async getUser(id: string): Promise<User> {
    const row = await findUserById(this.deps.db, id);
    if (!row) throw new AppError('USER_NOT_FOUND');
    return toWireUser(row);
  }

  async findByUsername(username: string): Promise<User> {
    const row = await findUserByUsername(this.deps.db, username);
    if (!row) throw new AppError('USER_NOT_FOUND');
    return toWireUser(row);
  }

  async updateUser(operator: Operator, id: string, changes: { displayName?: string | undefined; role?: Role | undefined }): Promise<User> {
    const before = await this.getUser(id);
    await this.deps.db.transaction().execute(async (trx) => {
      if (before.role === 'admin' && changes.role === 'member' && (await countAdmins(trx)) === 1) throw new AppError('LAST_ADMIN');
      await updateUser(trx, id, {
        ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
        ...(changes.role !== undefined ? { role: changes.role } : {}),
        updated_at: Date.now(),
      });
      await recordAudit(trx, {
        actorId: operator.userId,
        action: 'user.updated',
        target: { type: 'user', id },
        data: {
          ...(changes.role !== undefined && changes.role !== before.role ? { role: { from: before.role, to: changes.role } } : {}),
          ...(changes.displayName !== undefined ? { displayName: changes.displayName } : {}),
        },
        ip: operator.ip,
      });
    });
    return this.getUser(id);
  }

  /** Sets a new password and signs the user out everywhere, so a taken-over account is cut off. */
  async resetPassword(operator: Operator, id: string, password: string): Promise<void> {
    await this.getUser(id);
    const passwordHash = await hashPassword(password, this.deps.passwordHashCost);
    const ended = await this.deps.db.transaction().execute(async (trx) => {
      await updateUser(trx, id, { password_hash: passwordHash, updated_at: Date.now() });
      const sessions = await this.deps.auth.revokeAllSessions(trx, id);
      await recordAudit(trx, { actorId: operator.userId, action: 'user.password_reset', target: { type: 'user', id }, data: { sessionsEnded: sessions.length }, ip: operator.ip });
      return sessions;
    });
    this.deps.auth.endSessions(ended);
  }
}
