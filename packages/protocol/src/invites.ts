import { z } from 'zod';
import { Id, Timestamp } from './common';
import { Label, LabelId } from './labels';
import { DisplayName, Password, User, Username } from './users';

/** The longest an invite may stay open: 30 days. */
export const INVITE_MAX_HOURS = 720;
export const INVITE_DEFAULT_HOURS = 72;
export const INVITE_MAX_USES = 1000;

/** Into the organisation (a new account) or into one room (an existing account). */
export const InviteKind = z.enum(['organisation', 'room']);
export type InviteKind = z.infer<typeof InviteKind>;
/** The role an organisation invite gives the newcomer. */
export const InviteRole = z.enum(['member', 'guest']);
export type InviteRole = z.infer<typeof InviteRole>;
/** `active` until revoked, used up or expired, in that order of precedence. */
export const InviteStatus = z.enum(['active', 'expired', 'used-up', 'revoked']);
export type InviteStatus = z.infer<typeof InviteStatus>;

/**
 * An invite as its creator and the admins list it. The code itself is never stored, so only its first characters
 * (`codePrefix`) tell invites apart; the full code and link are in the answer to the creation only.
 */
export const Invite = z.object({
  id: Id,
  codePrefix: z.string(),
  kind: InviteKind,
  room: z.object({ id: Id, name: z.string().nullable() }).nullable(),
  /** Organisation invites: the newcomer's role and clearance (null for room invites). */
  role: InviteRole.nullable(),
  clearance: LabelId.nullable(),
  maxUses: z.number().int().positive(),
  uses: z.number().int().nonnegative(),
  requiresApproval: z.boolean(),
  expiresAt: Timestamp,
  createdAt: Timestamp,
  createdBy: Id,
  revokedAt: Timestamp.nullable(),
  status: InviteStatus,
});
export type Invite = z.infer<typeof Invite>;

/** The invite just created: the only time its code and link are shown. */
export const CreatedInvite = Invite.extend({
  code: z.string(),
  /** What the QR code encodes: the server's public origin + `/invite/<code>`. */
  url: z.string(),
});
export type CreatedInvite = z.infer<typeof CreatedInvite>;

export const InviteCreateRequest = z
  .object({
    /** Leave out for an organisation invite (admins only). */
    roomId: Id.optional(),
    maxUses: z.number().int().min(1).max(INVITE_MAX_USES).default(1),
    expiresInHours: z.number().positive().max(INVITE_MAX_HOURS).default(INVITE_DEFAULT_HOURS),
    /** Each acceptance waits for an administrator's approval. */
    requiresApproval: z.boolean().default(false),
    /** Organisation invites only; member when left out. */
    role: InviteRole.optional(),
    /** Organisation invites only; Internal (or the guest maximum, when lower) when left out. */
    clearance: LabelId.optional(),
  })
  .refine((v) => v.roomId === undefined || (v.role === undefined && v.clearance === undefined), {
    message: 'a room invite admits an existing account and cannot set its role or clearance',
    path: ['role'],
  });
export const InviteCreateResponse = z.object({ invite: CreatedInvite });
export const InviteListRequest = z.object({ roomId: Id.optional() });
export const InviteListResponse = z.object({ invites: z.array(Invite) });
export const InviteIdParams = z.object({ inviteId: Id });
export const InviteResponse = z.object({ invite: Invite });
/** Codes are checked against stored hashes; a malformed one is simply not found. */
export const InviteCodeParams = z.object({ code: z.string().min(1).max(128) });

/** What anyone holding the code may learn: enough for the landing page, nothing about who made it. */
export const InvitePreview = z.object({
  kind: InviteKind,
  /**
   * A room invite's name, topic and head count, shown only when the room's ceiling ranks no higher than `internal`;
   * above that they are null and the page says "a private room" (the code may have reached the wrong hands).
   */
  roomName: z.string().nullable(),
  roomTopic: z.string().nullable(),
  memberCount: z.number().int().nonnegative().nullable(),
  /** A room invite's ceiling, always shown: joining needs a clearance that reaches it. Null for organisation invites. */
  roomLabel: Label.pick({ id: true, names: true, colour: true }).nullable(),
  expiresAt: Timestamp,
  requiresApproval: z.boolean(),
});
export type InvitePreview = z.infer<typeof InvitePreview>;
export const InvitePreviewResponse = z.object({ invite: InvitePreview });

export const InviteAcceptRequest = z.object({
  /** Organisation invites: the account to create, validated like an administrator's user creation. */
  account: z.object({ username: Username, displayName: DisplayName, password: Password }).optional(),
  /** As for `login`: the web client keeps the new session in an HttpOnly cookie. */
  useCookie: z.boolean().optional(),
});
export const InviteAcceptResponse = z.object({
  /** `pending`: an administrator must approve first; the newcomer is told to wait. */
  outcome: z.enum(['joined', 'pending']),
  kind: InviteKind,
  /** Room invites: the room joined (or to be joined once approved). */
  roomId: Id.nullable(),
  /** Organisation invites that needed no approval: the new account, signed in as by `login`. */
  user: User.optional(),
  sessionId: Id.optional(),
  /** Present unless the session lives in a cookie. */
  token: z.string().optional(),
});

export const InviteRequestStatus = z.enum(['pending', 'approved', 'rejected']);
/** Someone who followed an invite that requires approval. */
export const InviteRequest = z.object({
  id: Id,
  inviteId: Id,
  kind: InviteKind,
  room: z.object({ id: Id, name: z.string().nullable() }).nullable(),
  /** The existing account (room invites), or the account created on approval (organisation invites). */
  userId: Id.nullable(),
  username: z.string(),
  displayName: z.string(),
  status: InviteRequestStatus,
  requestedAt: Timestamp,
  decidedAt: Timestamp.nullable(),
});
export type InviteRequest = z.infer<typeof InviteRequest>;
export const InviteRequestListRequest = z.object({ status: InviteRequestStatus.default('pending') });
export const InviteRequestListResponse = z.object({ requests: z.array(InviteRequest) });
export const InviteRequestIdParams = z.object({ requestId: Id });
export const InviteRequestResponse = z.object({ request: InviteRequest });
