import { randomUUID } from 'node:crypto';
import type { CreatedInvite, EndpointInput, EndpointOutput, Invite, InvitePreview, InviteRequest, InviteRole } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Actor } from '../auth/actor';
import type { AuthService } from '../auth/auth.service';
import type { LoginThrottle } from '../auth/login-throttle';
import { hashPassword } from '../auth/password';
import type { PasswordPolicy } from '../auth/password-policy';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { LabelsService } from '../labels/labels.service';
import type { RoomsService } from '../rooms/rooms.service';
import { findUserByUsername } from '../users/users.access';
import type { UsersService } from '../users/users.service';
import { hashInviteCode, inviteUrl, newInviteCode } from './invite-code';
import { toInvitePreview } from './invite-preview';
import { inviteQrPng, inviteQrSvg } from './invite-qr';
import { requireOpenInvite, toWireInvite, toWireInviteRequest } from './invite-wire';
import type { Keyring } from '../keys/keyring';
import type { ApprovalRow, ApprovalsService } from '../approvals/approvals.service';
import { withRoomTexts } from '../rooms/rooms.access';
import {
  consumeInviteUse,
  decideInviteRequest,
  findInviteByCodeHash,
  findInviteById,
  findInviteRequest,
  findPendingRequestOf,
  insertInvite,
  insertInviteRequest,
  isUsernamePending,
  listInviteRequestRows,
  listInviteRows,
  revokeInviteRow,
  type InviteRow,
} from './invites.repository';

export interface InvitesDeps {
  db: Kysely<Database>;
  rooms: RoomsService;
  users: UsersService;
  auth: AuthService;
  labels: LabelsService;
  /** Its own instance, so guessing codes and guessing passwords do not share counts. */
  throttle: LoginThrottle;
  passwords: PasswordPolicy;
  passwordHashCost: number;
  /** Opens the names and topics of the rooms invites lead into. */
  keys: Keyring;
  /** Where admissions into private groups by invites their owners did not make wait for an owner. */
  approvals: ApprovalsService;
}

type CreateInput = EndpointInput<'createInvite'>['body'] & { maxUses: number; expiresInHours: number; requiresApproval: boolean };
type AcceptInput = NonNullable<EndpointInput<'acceptInvite'>['body']>;
type AcceptOutcome = EndpointOutput<'acceptInvite'>;
type Client = { ip: string; userAgent: string | null };

/** The one throttle key all invite codes share: wrong codes are counted per address, whichever code was tried. */
const INVITE_CODES = 'invite-codes';

/**
 * Invites into the organisation (admins) or a room (its owners): a code shown once as a link and a QR code, used
 * up to `maxUses` times before it expires, optionally through an administrator's approval. Every creation, use,
 * approval and revocation is audited in the transaction that makes it.
 */
export class InvitesService {
  constructor(private readonly deps: InvitesDeps) {
    deps.approvals.handle('room-admission', {
      mayDecide: async (actor, approval) => actor.userId !== admissionPayload(approval).invitedBy && (await deps.rooms.membershipOf(actor.userId, approval.subject_id!)) === 'owner',
      apply: (approver, approval, decide) => this.admitApproved(approver, approval, decide),
    });
  }

  async create(actor: Actor, input: CreateInput, origin: string): Promise<CreatedInvite> {
    let newcomer: { role: InviteRole; clearance: string } | undefined;
    if (input.roomId === undefined) {
      if (actor.role !== 'admin') throw new AppError('ADMIN_REQUIRED');
      const role = input.role ?? 'member';
      newcomer = { role, clearance: await this.deps.users.clearanceForNewcomer(role, input.clearance) };
    } else {
      await this.deps.rooms.requireRoomToInvite(actor, input.roomId);
    }
    const { code, hash, prefix } = newInviteCode();
    const now = Date.now();
    const id = randomUUID();
    const expiresAt = now + Math.round(input.expiresInHours * 3_600_000);
    await this.deps.db.transaction().execute(async (trx) => {
      await insertInvite(trx, {
        id,
        code_hash: hash,
        code_prefix: prefix,
        room_id: input.roomId ?? null,
        role: newcomer?.role ?? null,
        clearance: newcomer?.clearance ?? null,
        max_uses: input.maxUses,
        uses: 0,
        requires_approval: input.requiresApproval ? 1 : 0,
        expires_at: expiresAt,
        created_by: actor.userId,
        created_at: now,
        revoked_at: null,
        revoked_by: null,
      });
      // The code is a credential: the entry names the invite by id and prefix only.
      await recordAudit(trx, {
        actorId: actor.userId,
        action: 'invite.created',
        target: { type: 'invite', id },
        data: { codePrefix: prefix, roomId: input.roomId ?? null, ...newcomer, maxUses: input.maxUses, expiresAt: new Date(expiresAt).toISOString(), requiresApproval: input.requiresApproval },
        ip: actor.ip,
      });
    });
    const row = (await findInviteById(this.deps.db, id))!;
    return { ...toWireInvite(await this.opened(row), now), code, url: inviteUrl(origin, code) };
  }

  /** Admins see every invite; anyone else the invites into rooms they own. */
  async list(actor: Actor, roomId: string | undefined): Promise<Invite[]> {
    const rows = await listInviteRows(this.deps.db, { roomId, ownedBy: actor.role === 'admin' ? undefined : actor.userId });
    const now = Date.now();
    return (await withRoomTexts(this.deps.db, this.deps.keys, rows)).map((row) => toWireInvite(row, now));
  }

  /** Stops a code from working; revoking twice is harmless. Someone who may not manage it finds no such invite. */
  async revoke(actor: Actor, inviteId: string): Promise<Invite> {
    const row = await findInviteById(this.deps.db, inviteId);
    if (!row || !(await this.mayManage(actor, row))) throw new AppError('INVITE_NOT_FOUND');
    if (row.revoked_at === null) {
      await this.deps.db.transaction().execute(async (trx) => {
        await revokeInviteRow(trx, inviteId, actor.userId, Date.now());
        await recordAudit(trx, { actorId: actor.userId, action: 'invite.revoked', target: { type: 'invite', id: inviteId }, data: { codePrefix: row.code_prefix }, ip: actor.ip });
      });
    }
    return toWireInvite(await this.opened((await findInviteById(this.deps.db, inviteId))!), Date.now());
  }

  /** What the landing page may show about an open invite (see `toInvitePreview` for what it withholds). */
  async preview(code: string, address: string): Promise<InvitePreview> {
    const row = await this.requireOpen(code, address);
    return toInvitePreview(await this.opened(row), await this.deps.labels.list(), await this.deps.labels.ranks());
  }

  /** The QR code of an open invite's link; a code that no longer works gets its error rather than a picture. */
  async qrSvg(code: string, origin: string, address: string): Promise<string> {
    await this.requireOpen(code, address);
    return inviteQrSvg(inviteUrl(origin, code));
  }

  async qrPng(code: string, origin: string, address: string): Promise<Buffer> {
    await this.requireOpen(code, address);
    return inviteQrPng(inviteUrl(origin, code));
  }

  /**
   * Follows an invite. Into the organisation: creates the account from `account` and signs it in (or, with
   * approval required, files the request). Into a room: the signed-in `actor` joins it (or asks to).
   */
  async accept(code: string, actor: Actor | undefined, input: AcceptInput, client: Client): Promise<AcceptOutcome> {
    const invite = await this.requireOpen(code, client.ip);
    if (invite.room_id === null) return this.signUp(invite, input, client);
    if (!actor) throw new AppError('UNAUTHENTICATED');
    return this.joinRoom(invite, invite.room_id, actor);
  }

  async listRequests(status: InviteRequest['status']): Promise<InviteRequest[]> {
    return (await withRoomTexts(this.deps.db, this.deps.keys, await listInviteRequestRows(this.deps.db, status))).map(toWireInviteRequest);
  }

  /** Creates the account, or adds the person to the room, that a pending request asked for. */
  async approve(actor: Actor, requestId: string): Promise<InviteRequest> {
    const request = await this.requirePending(requestId);
    // An administrator who accepted an invite cannot let themselves in: another one must.
    if (request.user_id === actor.userId) throw new AppError('APPROVAL_OWN_REQUEST');
    const invite = (await findInviteById(this.deps.db, request.invite_id))!;
    const decide = (userId: string) => async (trx: Transaction<Database>) => {
      if (!(await decideInviteRequest(trx, requestId, { status: 'approved', userId, decidedBy: actor.userId, now: Date.now() }))) throw new AppError('INVITE_REQUEST_DECIDED');
      await recordAudit(trx, { actorId: actor.userId, action: 'invite.request_approved', target: { type: 'invite_request', id: requestId }, data: { inviteId: invite.id, userId, username: request.username }, ip: actor.ip });
    };
    if (invite.room_id === null) {
      const account = { username: request.username, displayName: request.display_name, role: invite.role ?? 'member', clearance: invite.clearance ?? undefined, passwordHash: request.password_hash! };
      await this.deps.users.createAccount(actor, account, (trx, userId) => decide(userId)(trx));
    } else {
      const user = await this.deps.users.getUser(request.user_id!);
      if (await this.deps.rooms.membershipOf(user.id, invite.room_id)) await this.deps.db.transaction().execute(decide(user.id));
      else await this.deps.rooms.admitInvited(actor, invite.room_id, user, decide(user.id), { invitedBy: invite.created_by, approvedBy: actor.userId });
    }
    return toWireInviteRequest(await this.opened((await findInviteRequest(this.deps.db, requestId))!));
  }

  async reject(actor: Actor, requestId: string): Promise<InviteRequest> {
    const request = await this.requirePending(requestId);
    await this.deps.db.transaction().execute(async (trx) => {
      if (!(await decideInviteRequest(trx, requestId, { status: 'rejected', userId: request.user_id, decidedBy: actor.userId, now: Date.now() }))) throw new AppError('INVITE_REQUEST_DECIDED');
      await recordAudit(trx, { actorId: actor.userId, action: 'invite.request_rejected', target: { type: 'invite_request', id: requestId }, data: { inviteId: request.invite_id, username: request.username }, ip: actor.ip });
    });
    return toWireInviteRequest(await this.opened((await findInviteRequest(this.deps.db, requestId))!));
  }

  private async signUp(invite: InviteRow, input: AcceptInput, client: Client): Promise<AcceptOutcome> {
    const account = input.account;
    if (!account) throw new AppError('VALIDATION_FAILED', { issues: [{ path: 'account', message: 'an organisation invite creates an account: give username, displayName and password' }] });
    if ((await findUserByUsername(this.deps.db, account.username)) || (await isUsernamePending(this.deps.db, account.username))) throw new AppError('USERNAME_TAKEN');
    const role = invite.role ?? 'member';
    await this.deps.passwords.require(account.password, [account.username]);
    const passwordHash = await hashPassword(account.password, this.deps.passwordHashCost);
    const newcomer = { userId: null, ip: client.ip };
    if (Number(invite.requires_approval) === 1) {
      const requestId = randomUUID();
      await this.deps.db.transaction().execute(async (trx) => {
        await this.useInvite(trx, invite, { userId: null, ip: client.ip, outcome: 'pending', requestId, username: account.username });
        await insertInviteRequest(trx, { id: requestId, invite_id: invite.id, status: 'pending', user_id: null, username: account.username, display_name: account.displayName, password_hash: passwordHash, requested_at: Date.now(), decided_by: null, decided_at: null });
      });
      return { outcome: 'pending', kind: 'organisation', roomId: null };
    }
    await this.deps.users.createAccount(newcomer, { username: account.username, displayName: account.displayName, role, clearance: invite.clearance ?? undefined, passwordHash }, (trx, userId) =>
      this.useInvite(trx, invite, { userId, ip: client.ip, outcome: 'joined', username: account.username }),
    );
    const session = await this.deps.auth.login({ username: account.username, password: account.password }, client);
    return { outcome: 'joined', kind: 'organisation', roomId: null, user: session.user, sessionId: session.sessionId, token: session.token };
  }

  private async joinRoom(invite: InviteRow, roomId: string, actor: Actor): Promise<AcceptOutcome> {
    const joined: AcceptOutcome = { outcome: 'joined', kind: 'room', roomId };
    // Following the link again, or into a room one is already in, takes no use.
    if (await this.deps.rooms.membershipOf(actor.userId, roomId)) return joined;
    const newcomer = { id: actor.userId, role: actor.role };
    if (await this.deps.rooms.admissionNeedsOwner(roomId, invite.created_by)) return this.askOwner(invite, roomId, actor);
    if (Number(invite.requires_approval) !== 1) {
      await this.deps.rooms.admitInvited(actor, roomId, newcomer, (trx) => this.useInvite(trx, invite, { userId: actor.userId, ip: actor.ip, outcome: 'joined', username: actor.username }), { invitedBy: invite.created_by });
      return joined;
    }
    const pending: AcceptOutcome = { outcome: 'pending', kind: 'room', roomId };
    if (await findPendingRequestOf(this.deps.db, invite.id, actor.userId)) return pending;
    // Refused now rather than at approval: a clearance below the ceiling or a frozen room would not change by waiting.
    await this.deps.rooms.checkInvitedMayJoin(roomId, newcomer);
    const user = await this.deps.users.getUser(actor.userId);
    const requestId = randomUUID();
    await this.deps.db.transaction().execute(async (trx) => {
      await this.useInvite(trx, invite, { userId: actor.userId, ip: actor.ip, outcome: 'pending', requestId, username: actor.username });
      await insertInviteRequest(trx, { id: requestId, invite_id: invite.id, status: 'pending', user_id: actor.userId, username: user.username, display_name: user.displayName, password_hash: null, requested_at: Date.now(), decided_by: null, decided_at: null });
    });
    return pending;
  }

  /**
   * Files the admission for a room owner's approval (see RoomsService.admissionNeedsOwner). The invite's use is
   * taken now, as for an administrator's approval; asking again while it is pending files nothing new.
   */
  private async askOwner(invite: InviteRow, roomId: string, actor: Actor): Promise<AcceptOutcome> {
    await this.deps.rooms.checkInvitedMayJoin(roomId, { id: actor.userId, role: actor.role });
    const payload = { inviteId: invite.id, invitedBy: invite.created_by };
    await this.deps.approvals.request(actor, { kind: 'room-admission', subjectId: roomId, targetId: actor.userId, payload }, (trx) =>
      this.useInvite(trx, invite, { userId: actor.userId, ip: actor.ip, outcome: 'pending', username: actor.username }),
    );
    return { outcome: 'pending', kind: 'room', roomId };
  }

  /** An owner approved: the person joins, and the room's members see who invited them and who approved. */
  private async admitApproved(approver: Actor, approval: ApprovalRow, decide: (trx: Transaction<Database>) => Promise<void>): Promise<void> {
    const roomId = approval.subject_id!;
    const user = await this.deps.users.getUser(approval.target_id!);
    const { invitedBy } = admissionPayload(approval);
    if (await this.deps.rooms.membershipOf(user.id, roomId)) {
      await this.deps.db.transaction().execute(decide);
      return;
    }
    await this.deps.rooms.admitInvited(approver, roomId, user, decide, { invitedBy, approvedBy: approver.userId });
  }

  /** Takes one use of the invite and audits it, or says why the invite stopped working since it was read. */
  private async useInvite(
    trx: Transaction<Database>,
    invite: InviteRow,
    use: { userId: string | null; ip: string | null; outcome: 'joined' | 'pending'; requestId?: string; username: string },
  ): Promise<void> {
    const now = Date.now();
    // The update's conditions are requireOpenInvite's, so when it takes nothing the re-read names the reason.
    if (!(await consumeInviteUse(trx, invite.id, now))) requireOpenInvite(await findInviteById(trx, invite.id), now);
    const { userId, ip, ...data } = use;
    await recordAudit(trx, { actorId: userId, action: 'invite.used', target: { type: 'invite', id: invite.id }, data: { ...data, userId, roomId: invite.room_id }, ip });
  }

  /**
   * The invite for a code, through the guessing throttle: all codes together are one "account" of the throttle,
   * so each address gets a few wrong codes free and then waits, doubling, while an address that never guessed wrong
   * is never held back. A code that exists (even revoked or expired) is no wrong guess and clears its address.
   */
  /** The row with its room's name and topic opened (they are sealed: rooms/room-text.codec.ts). */
  private async opened<T extends { room_id: string | null; room_name: string | null; room_topic?: string | null }>(row: T): Promise<T> {
    return (await withRoomTexts(this.deps.db, this.deps.keys, [row]))[0]!;
  }

  private async requireOpen(code: string, address: string): Promise<InviteRow> {
    const wait = this.deps.throttle.admit(INVITE_CODES, address);
    if (wait > 0) throw new AppError('RATE_LIMITED', { retryAfterSeconds: wait });
    const row = await findInviteByCodeHash(this.deps.db, hashInviteCode(code));
    if (row) this.deps.throttle.succeeded(INVITE_CODES, address);
    return requireOpenInvite(row, Date.now());
  }

  private async requirePending(requestId: string) {
    const request = await findInviteRequest(this.deps.db, requestId);
    if (!request) throw new AppError('INVITE_REQUEST_NOT_FOUND');
    if (request.status !== 'pending') throw new AppError('INVITE_REQUEST_DECIDED');
    return request;
  }

  private async mayManage(actor: Actor, invite: InviteRow): Promise<boolean> {
    if (actor.role === 'admin') return true;
    return invite.room_id !== null && (await this.deps.rooms.membershipOf(actor.userId, invite.room_id)) === 'owner';
  }
}

function admissionPayload(approval: ApprovalRow): { inviteId: string; invitedBy: string } {
  return JSON.parse(approval.payload) as { inviteId: string; invitedBy: string };
}
