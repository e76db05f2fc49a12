import { randomUUID } from 'node:crypto';
import type { ProfileUpdateRequest, Role, User } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../auth/actor';
import type { AuthService } from '../auth/auth.service';
import { ceilingsOfUserRooms } from '../labels/labels.access';
import { DEFAULT_LABEL, type LabelsService } from '../labels/labels.service';
import { hashPassword } from '../auth/password';
import type { PasswordPolicy } from '../auth/password-policy';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import type { SettingsService } from '../settings/settings.service';
import { toWireRoom } from '../rooms/room-wire';
import { openRoomRows, refreshGuestCountsOf } from '../rooms/rooms.access';
import type { Keyring } from '../keys/keyring';
import type { EventLog } from '../events/event-log';
import type { NameScreen } from '../dlp/name-screen';
import { AppError } from '../http/app-error';
import type { ApprovalRow, ApprovalsService } from '../approvals/approvals.service';
import type { Operator } from './operator';
import { PasswordResets } from './password-resets';
import { eligibleApprovers, isPowerful } from './second-approvers';
import { toWireUserOf, toWireUsers, usersSeenBy } from './user-wire';
import { countActiveAdmins, countUsers, findUserById, findUserByUsername, insertUser, listUsers, sharesRoom, updateUser, type PublicUserRow } from './users.repository';

export interface UsersDeps {
  db: Kysely<Database>;
  auth: AuthService;
  labels: LabelsService;
  settings: SettingsService;
  passwords: PasswordPolicy;
  eventLog: EventLog;
  passwordHashCost: number;
  /** DLP for display names, which everyone who meets the person sees. */
  names: NameScreen;
  /** Opens the names of the rooms whose guest counts change (rooms/room-text.codec.ts). */
  keys: Keyring;
  /** Where grants of the admin and compliance roles wait for a second admin. */
  approvals: ApprovalsService;
  /** Called after a person's role changed, so that their open streams are set up again under the new role. */
  onRoleChanged?: (userId: string) => void;
  /** Called after someone chose another time zone: their working hours are read on it. */
  onTimeZoneChanged?: (userId: string) => Promise<void>;
}

function grantPayload(approval: ApprovalRow): { from: Role; to: Role; eligible: string[] } {
  return JSON.parse(approval.payload) as { from: Role; to: Role; eligible: string[] };
}

export interface NewUser {
  username: string;
  password: string;
  displayName: string;
  role: Role;
  clearance?: string | undefined;
}

/** A new account whose password is already hashed. */
export type NewAccount = Omit<NewUser, 'password'> & { passwordHash: string };

export interface UserPage {
  users: User[];
  nextCursor: string | null;
}

export type { Operator };

export class UsersService {
  private readonly passwordResets: PasswordResets;

  constructor(private readonly deps: UsersDeps) {
    this.passwordResets = new PasswordResets(deps);
    deps.approvals.handle('role-grant', {
      mayDecide: async (actor, approval) => actor.role === 'admin' && grantPayload(approval).eligible.includes(actor.userId),
      apply: (approver, approval, decide) => this.applyApprovedGrant(approver, approval, decide),
    });
  }

  /**
   * Creates an account. Creating it with the admin or compliance role is a grant of that role: when another admin
   * could approve it, the account is created as a member and the role waits for them (APPROVAL_PENDING, with the
   * new account's id and the request's).
   */
  async createUser(operator: Operator, input: NewUser): Promise<User> {
    const user = await this.createUserDirectly(operator, { ...input, role: isPowerful(input.role) ? 'member' : input.role });
    if (!isPowerful(input.role)) return user;
    const approvalId = await this.requestGrantIfNeeded(operator, user.id, 'member', input.role);
    if (approvalId) throw new AppError('APPROVAL_PENDING', { approvalId, userId: user.id });
    return this.updateUser(operator, user.id, { role: input.role });
  }

  private async createUserDirectly(operator: Operator, input: NewUser): Promise<User> {
    if (await findUserByUsername(this.deps.db, input.username)) throw new AppError('USERNAME_TAKEN');
    // Checked before the slow hash, so a refusal is quick; createAccount checks again.
    await this.clearanceForNewcomer(input.role, input.clearance);
    await this.deps.names.checkDisplayName(operator, undefined, input.displayName);
    await this.deps.passwords.require(input.password, [input.username]);
    const passwordHash = await hashPassword(input.password, this.deps.passwordHashCost);
    return this.createAccount(operator, { ...input, passwordHash });
  }

  /**
   * The clearance a new account would get: the one asked for, or the default (for a guest, the guest maximum when
   * that is lower); refuses a label that does not exist and a guest cleared above the guest maximum.
   */
  async clearanceForNewcomer(role: Role, requested: string | undefined): Promise<string> {
    const ranks = await this.deps.labels.ranks();
    const guestMaximum = (await this.deps.settings.getSettings()).guestMaxClearance;
    const clearance = requested ?? (role === 'guest' ? ranks.lowest(DEFAULT_LABEL, guestMaximum) : DEFAULT_LABEL);
    ranks.rankOf(clearance);
    if (role === 'guest' && !ranks.fits(clearance, guestMaximum)) throw new AppError('CLEARANCE_ABOVE_GUEST_MAXIMUM', { maximum: guestMaximum });
    return clearance;
  }

  /**
   * Creates an account whose password is already hashed (an administrator's creation, or an approved invite).
   * `alsoInTransaction` commits with it: the invite that admitted the newcomer records its use there.
   */
  async createAccount(
    operator: Operator,
    input: NewAccount,
    alsoInTransaction?: (trx: Transaction<Database>, userId: string) => Promise<void>,
  ): Promise<User> {
    const clearance = await this.clearanceForNewcomer(input.role, input.clearance);
    // An account that is refused is never created, so the hit names no person.
    await this.deps.names.checkDisplayName(operator, undefined, input.displayName);
    const now = Date.now();
    const row = {
      id: randomUUID(),
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      clearance,
      password_hash: input.passwordHash,
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
      await alsoInTransaction?.(trx, row.id);
    });
    return this.getUser(row.id);
  }

  /** The first start creates the first admin; later starts find users and do nothing. */
  /**
   * The first admin of an empty installation. A password the server generated (`oneTime`) has been printed on a
   * terminal and may sit in a scrollback or a log collector: it works once, to sign in and choose a new one.
   */
  async ensureFirstAdmin(username: string, password: string, options: { oneTime: boolean } = { oneTime: false }): Promise<User | undefined> {
    if ((await countUsers(this.deps.db)) > 0) return undefined;
    const admin = await this.createUser({ userId: null, ip: null }, { username, password, displayName: 'Administrator', role: 'admin' });
    if (options.oneTime) await updateUser(this.deps.db, admin.id, { password_change_required: 1, updated_at: Date.now() });
    return admin;
  }

  /**
   * One page of the directory; the cursor is opaque to clients (it is the last username, encoded). A guest cannot
   * browse the directory: they see only the people they share a room with, without their departments, and a
   * department filter finds no one for them (the department tree is not theirs to see).
   */
  async listUsers(
    viewer: Pick<Actor, 'userId' | 'role'>,
    options: { q?: string | undefined; departmentId?: string | undefined; cursor?: string | undefined; limit: number },
  ): Promise<UserPage> {
    if (viewer.role === 'guest' && options.departmentId !== undefined) return { users: [], nextCursor: null };
    const rows = await listUsers(this.deps.db, {
      sharingRoomsWith: viewer.role === 'guest' ? viewer.userId : undefined,
      search: options.q,
      departmentId: options.departmentId,
      afterUsername: options.cursor === undefined ? undefined : Buffer.from(options.cursor, 'base64url').toString('utf8'),
      limit: options.limit + 1,
    });
    const page = rows.slice(0, options.limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > options.limit && last ? Buffer.from(last.username, 'utf8').toString('base64url') : null;
    return { users: usersSeenBy(viewer, await toWireUsers(this.deps.db, page)), nextCursor };
  }

  async getUser(id: string): Promise<User> {
    return toWireUserOf(this.deps.db, await this.requireUserRow(id));
  }

  /** One person as `viewer` may see them: a guest only finds themselves and the people in their rooms. */
  async getUserFor(viewer: Pick<Actor, 'userId' | 'role'>, id: string): Promise<User> {
    if (viewer.role === 'guest' && id !== viewer.userId && !(await sharesRoom(this.deps.db, viewer.userId, id))) throw new AppError('USER_NOT_FOUND');
    const [user] = usersSeenBy(viewer, [await this.getUser(id)]);
    return user!;
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
    if (changes.role !== undefined && changes.role !== before.role && isPowerful(changes.role)) {
      const approvalId = await this.requestGrantIfNeeded(operator, id, before.role, changes.role);
      if (approvalId) throw new AppError('APPROVAL_PENDING', { approvalId });
    }
    return this.writeChanges(operator, before, changes);
  }

  private async writeChanges(
    operator: Operator,
    before: PublicUserRow,
    changes: { displayName?: string | undefined; role?: Role | undefined; clearance?: string | undefined },
    alsoInTransaction?: (trx: Transaction<Database>) => Promise<void>,
  ): Promise<User> {
    const id = before.id;
    if (changes.displayName !== undefined) await this.deps.names.checkDisplayName(operator, id, changes.displayName);
    if (changes.clearance !== undefined) await this.checkClearance(id, changes.clearance);
    const role = changes.role ?? before.role;
    if (role === 'guest') await this.checkGuestClearance(changes.clearance ?? before.clearance);
    await this.deps.eventLog.write(async (trx, log) => {
      if (before.role === 'admin' && role !== 'admin') await this.checkNotLastAdmin(trx, before);
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
      await alsoInTransaction?.(trx);
      // Members of the person's rooms see at once that a guest joined or left their audience.
      if ((before.role === 'guest') !== (role === 'guest')) {
        for (const room of await openRoomRows(trx, this.deps.keys, await refreshGuestCountsOf(trx, id))) await log.append({ roomId: room.id }, { type: 'room.updated', room: toWireRoom(room) });
      }
    });
    // The stream checks clearance on every event it delivers, from what it read when it opened.
    if (role !== before.role || (changes.clearance !== undefined && changes.clearance !== before.clearance)) this.deps.onRoleChanged?.(id);
    return this.getUser(id);
  }

  /** Changes one's own profile. The audit entry names the fields changed, never the picture itself. */
  async updateProfile(actor: Actor, changes: ProfileUpdateRequest): Promise<User> {
    if (changes.displayName !== undefined) await this.deps.names.checkDisplayName(actor, actor.userId, changes.displayName);
    await this.deps.db.transaction().execute(async (trx) => {
      await updateUser(trx, actor.userId, {
        ...(changes.displayName !== undefined ? { display_name: changes.displayName } : {}),
        ...(changes.avatar !== undefined ? { avatar: changes.avatar } : {}),
        ...(changes.locale !== undefined ? { locale: changes.locale } : {}),
        ...(changes.timeZone !== undefined ? { time_zone: changes.timeZone } : {}),
        ...(changes.undoSendSeconds !== undefined ? { undo_send_seconds: changes.undoSendSeconds } : {}),
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
    if (changes.timeZone !== undefined) await this.deps.onTimeZoneChanged?.(actor.userId);
    return this.getUser(actor.userId);
  }

  /** Sets a new password and signs the user out everywhere, or files it for a second admin (password-resets.ts). */
  async resetPassword(operator: Operator, id: string, password: string): Promise<void> {
    await this.passwordResets.reset(operator, await this.requireUserRow(id), password);
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

  /**
   * Files a grant of the admin or compliance role for a second admin's approval, unless no one could give it. The
   * eligible approvers are the enabled admins at this moment other than the requester and the person. With none
   * (the first installation: a sole admin making the second; the command line), the grant is made at once. The
   * second admin a sole admin made is a second person from then on: the "whenever two exist", and the only
   * way an organisation gets two without the command line. Answers the request's id.
   */
  private async requestGrantIfNeeded(operator: Operator, userId: string, from: Role, to: Role): Promise<string | undefined> {
    if (operator.userId === null) return undefined;
    const eligible = await eligibleApprovers(this.deps.db, operator.userId, userId);
    if (eligible.length === 0) return undefined;
    return this.deps.approvals.request({ userId: operator.userId, ip: operator.ip }, { kind: 'role-grant', subjectId: userId, targetId: null, payload: { from, to, eligible } });
  }

  private async applyApprovedGrant(approver: Actor, approval: ApprovalRow, decide: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    const before = await this.requireUserRow(approval.subject_id!);
    await this.writeChanges(approver, before, { role: grantPayload(approval).to }, decide);
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

  private async checkGuestClearance(clearance: string): Promise<void> {
    const maximum = (await this.deps.settings.getSettings()).guestMaxClearance;
    if (!(await this.deps.labels.ranks()).fits(clearance, maximum)) throw new AppError('CLEARANCE_ABOVE_GUEST_MAXIMUM', { maximum });
  }

  /** A clearance must be a known label, and may not fall below the ceiling of a room the person is in. */
  private async checkClearance(userId: string, clearance: string): Promise<void> {
    const ranks = await this.deps.labels.ranks();
    ranks.rankOf(clearance);
    const above = (await ceilingsOfUserRooms(this.deps.db, userId)).filter((room) => !ranks.fits(room.ceiling, clearance));
    if (above.length > 0) throw new AppError('CLEARANCE_TOO_LOW', { roomIds: above.map((room) => room.roomId), clearance });
  }
}
