import { z } from 'zod';
import { ClientId, Id, Position } from './common';
import { ErrorBody } from './errors';
import { Message, MessageSendFields, ReactionSummary, withSendRules } from './messages';
import { Room } from './rooms';
import { strictInput } from './strict-input';

/**
 * The stream's wire protocol. Bump the version for any change an older client could misread, and record it in
 * docs/api-changelog.md.
 */
export const PROTOCOL_VERSION = 2;
/** The oldest client protocol this server still speaks; a client below it is closed with `incompatibleProtocol`. */
/** 2: `messages.purged`, which a version-1 client would refuse as an invalid frame mid-stream. */
export const MIN_CLIENT_PROTOCOL_VERSION = 2;
/**
 * Why a client and a server cannot talk, the reason of an `incompatibleProtocol` close (from the server) or of the
 * SDK giving up (`server_too_old`: the hello names an older protocol than the client speaks; `invalid_frame`: a
 * frame did not match the protocol the client knows). None of them is cured by reconnecting; a newer page or app is.
 */
export const StreamIncompatibility = z.enum(['client_too_old', 'client_too_new', 'server_too_old', 'invalid_frame']);
export type StreamIncompatibility = z.infer<typeof StreamIncompatibility>;
export const STREAM_PATH = '/api/v1/stream';
/** The largest frame the server accepts from a client; a larger one closes the stream with `messageTooBig`. */
export const STREAM_MAX_FRAME_BYTES = 64 * 1024;

/** Query string of the stream URL. `after` is the last position the client has seen; omit it on a first connect. */
export const StreamConnectQuery = strictInput(z.object({
  token: z.string().optional(),
  /** The language for error messages on this stream; without it, the Accept-Language of the upgrade request. */
  locale: z.string().max(35).optional(),
  after: z.coerce.number().int().nonnegative().optional(),
  /** The protocol version the client speaks (PROTOCOL_VERSION of its SDK); clients from before versioning omit it. */
  protocolVersion: z.coerce.number().int().nonnegative().optional(),
}));

// Server → client.
export const HelloEvent = z.object({
  type: z.literal('hello'),
  protocolVersion: z.number().int(),
  userId: Id,
  /** The log head when the connection was registered; a client without a cursor resumes from here. */
  position: Position,
});
/** Sent once the backlog after `after` has been delivered; everything after it is live. */
export const SyncedEvent = z.object({ type: z.literal('synced'), position: Position });
/**
 * `quiet`: the recipient is off work (their hours, a holiday, leave or do-not-disturb) as the server delivers it, so
 * the client shows the message but pings nobody; the mention comes back in the summary at their next start. Never set
 * on an urgent message: an override the urgent policy allowed rings through.
 */
export const MessageCreatedEvent = z.object({ type: z.literal('message.created'), position: Position, message: Message, quiet: z.literal(true).optional() });
/**
 * Who joined or left, each marked when they are a guest, so a client can show "External" without asking. Events
 * logged before this field existed carry none; `userIds` stays the complete list.
 */
export const MembershipChange = z.object({ userId: Id, guest: z.boolean() });
export type MembershipChange = z.infer<typeof MembershipChange>;
export const MemberAddedEvent = z.object({
  type: z.literal('room.member_added'),
  position: Position,
  room: Room,
  userIds: z.array(Id),
  members: z.array(MembershipChange).default([]),
  actorId: Id,
  /**
   * Someone let in by an invite only after an approval: into a private group by an invite its owners did not make
   * (who invited, which owner approved), or by an invite that asked for an administrator's approval.
   */
  admission: z.object({ invitedBy: Id, approvedBy: Id }).optional(),
  /** Someone who joined by following an invite link without an approval: whose invite it was. */
  invitedBy: Id.optional(),
  /** The room's creation: `actorId` started it with `userIds` (them included). */
  roomCreated: z.literal(true).optional(),
});
export const MemberRemovedEvent = z.object({
  type: z.literal('room.member_removed'),
  position: Position,
  roomId: Id,
  userIds: z.array(Id),
  members: z.array(MembershipChange).default([]),
  actorId: Id,
  memberCount: z.number().int().nonnegative(),
  guestCount: z.number().int().nonnegative(),
});
export const ReadMarkedEvent = z.object({
  type: z.literal('room.read'),
  position: Position,
  roomId: Id,
  lastReadPosition: Position,
});
/** A stored message changed: edited, deleted, pinned or unpinned, or its thread grew. Carries the whole message. */
export const MessageUpdatedEvent = z.object({ type: z.literal('message.updated'), position: Position, message: Message });
export const ReactionsChangedEvent = z.object({
  type: z.literal('reactions.changed'),
  position: Position,
  roomId: Id,
  messageId: Id,
  reactions: z.array(ReactionSummary),
});
/** A room's name, topic or frozen state changed. */
export const RoomUpdatedEvent = z.object({ type: z.literal('room.updated'), position: Position, room: Room });
/** The room was deleted; every member gets this on their own, since the room is gone. */
/** Messages the retention purge erased: clients drop them; a fresh fetch no longer returns them. */
export const MessagesPurgedEvent = z.object({ type: z.literal('messages.purged'), position: Position, roomId: Id, messageIds: z.array(Id) });
export const RoomDeletedEvent = z.object({ type: z.literal('room.deleted'), position: Position, roomId: Id });
/** Another member's read position moved (for "read by" on one's own messages). */
export const ReadByEvent = z.object({ type: z.literal('room.read_by'), position: Position, roomId: Id, userId: Id, lastReadPosition: Position });
/** Told to the sender alone: a compliance officer released or rejected a message DLP held back. */
export const ReviewDecidedEvent = z.object({
  type: z.literal('review.decided'),
  position: Position,
  reviewId: Id,
  roomId: Id,
  outcome: z.enum(['released', 'rejected']),
  /** The delivered (or, for an edit, the edited) message on release. */
  messageId: Id.nullable(),
});
/**
 * Told to the sender alone: a scheduled message went out (`sent`, with the message), was held by a DLP review rule
 * (`held`), or `failed` the checks made when it went (`error` says why; the item stays in the sender's scheduled
 * list with its text, to restore to the composer).
 */
export const ScheduledSettledEvent = z.object({
  type: z.literal('scheduled.settled'),
  position: Position,
  scheduledId: Id,
  roomId: Id,
  outcome: z.enum(['sent', 'held', 'failed']),
  messageId: Id.nullable(),
  error: ErrorBody.nullable(),
});

// Ephemeral: not stored, no position, not replayed on resume.
export const PresenceStatus = z.enum(['online', 'away', 'offline']);
export type PresenceStatus = z.infer<typeof PresenceStatus>;
export const PresenceEvent = z.object({ type: z.literal('presence'), userId: Id, status: PresenceStatus });
export const TypingEvent = z.object({ type: z.literal('typing'), roomId: Id, userId: Id, threadRootId: Id.nullable() });

export const MessageAckEvent = z.object({ type: z.literal('message.ack'), clientId: ClientId, message: Message });
export const StreamErrorEvent = z.object({ type: z.literal('error'), clientId: ClientId.optional(), error: ErrorBody });

/** Events that are stored in the log and therefore carry a position and survive a reconnect. */
export const LoggedEvent = z.discriminatedUnion('type', [
  MessageCreatedEvent,
  MessageUpdatedEvent,
  ReactionsChangedEvent,
  MemberAddedEvent,
  MemberRemovedEvent,
  RoomUpdatedEvent,
  RoomDeletedEvent,
  MessagesPurgedEvent,
  ReadMarkedEvent,
  ReadByEvent,
  ReviewDecidedEvent,
  ScheduledSettledEvent,
]);
export type LoggedEvent = z.infer<typeof LoggedEvent>;

export const ServerFrame = z.discriminatedUnion('type', [
  HelloEvent,
  SyncedEvent,
  MessageCreatedEvent,
  MemberAddedEvent,
  MemberRemovedEvent,
  ReadMarkedEvent,
  MessageUpdatedEvent,
  ReactionsChangedEvent,
  RoomUpdatedEvent,
  RoomDeletedEvent,
  MessagesPurgedEvent,
  ReadByEvent,
  ReviewDecidedEvent,
  ScheduledSettledEvent,
  PresenceEvent,
  TypingEvent,
  MessageAckEvent,
  StreamErrorEvent,
]);
export type EphemeralEvent = z.infer<typeof PresenceEvent> | z.infer<typeof TypingEvent>;
export type ServerFrame = z.infer<typeof ServerFrame>;

// Client → server.
export const MessageSendFrame = withSendRules(MessageSendFields.extend({ type: z.literal('message.send'), roomId: Id, clientId: ClientId }));
export const TypingFrame = z.object({ type: z.literal('typing'), roomId: Id, threadRootId: Id.optional() });
/** The client tells whether its person is at the keyboard; connected and not away means online. */
export const PresenceSetFrame = z.object({ type: z.literal('presence.set'), status: z.enum(['online', 'away']) });
/** Whose presence this connection wants to hear about (replaces the previous list); answered with their current status. */
export const PresenceWatchFrame = z.object({ type: z.literal('presence.watch'), userIds: z.array(Id).max(500) });
export type MessageSendFrame = z.infer<typeof MessageSendFrame>;
/** Every frame a client may send; a frame with a field it does not declare is refused by name, as REST bodies are. */
export const ClientFrame = strictInput(z.discriminatedUnion('type', [MessageSendFrame, TypingFrame, PresenceSetFrame, PresenceWatchFrame]));
export type ClientFrame = z.infer<typeof ClientFrame>;

/**
 * Every WebSocket close code the server sends: a closed list, so a client knows whether reconnecting can help. The
 * 1xxx codes are the standard ones the WebSocket library itself uses when a frame breaks the protocol; the 4xxx
 * codes are ours.
 */
export const streamCloseCodes = {
  /** The server is shutting down; reconnect (to another node) with backoff. */
  serverShutdown: 1001,
  /** A frame broke the WebSocket protocol (an unknown opcode, reserved bits, an unmasked or fragmented control frame). */
  protocolError: 1002,
  /** A text frame was not valid UTF-8. */
  invalidPayload: 1007,
  /** The client sent frames far faster than any person could; a client bug. */
  flooding: 1008,
  /** A frame was larger than the stream's frame limit (64 KiB). */
  messageTooBig: 1009,
  /** The server failed to set the connection up; reconnect with backoff. */
  internalError: 1011,
  /** The connection URL was malformed, or the client sent a binary frame. */
  badRequest: 4400,
  /** No valid credentials: sign in again. */
  unauthenticated: 4401,
  /** The session was ended (signed out, revoked, account disabled). */
  sessionRevoked: 4403,
  /** The client read too slowly and its unread frames piled up; reconnect and resume. */
  slowConsumer: 4429,
  /** The person, or the client address, already holds as many stream connections as the server allows. */
  tooManyConnections: 4430,
  /** Client and server speak protocol versions that cannot talk; the close reason is a `StreamIncompatibility`. */
  incompatibleProtocol: 4426,
  /**
   * The person's role changed (an admin made them a guest, or a member again): what they may see and do on the
   * stream was decided when it opened, so it is ended; reconnect at once and it is set up under the new role.
   */
  permissionsChanged: 4409,
} as const;
export type StreamCloseCode = (typeof streamCloseCodes)[keyof typeof streamCloseCodes];
