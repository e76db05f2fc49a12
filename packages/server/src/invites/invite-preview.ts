import type { InvitePreview, Label } from '@enclave/protocol';
import { DEFAULT_LABEL, type LabelRanks } from '../labels/labels.service';
import type { InviteRow } from './invites.repository';

/**
 * What anyone holding a code may learn about it. A code travels by chat, mail and paper and may reach the wrong
 * person, so a room's name, topic and head count are shown only when its ceiling ranks no higher than the default
 * label (`internal`), whatever labels an administrator added or reordered. The ceiling itself is always shown: the
 * invitee needs a clearance that reaches it, and a label's name says how careful to be, not what the room is about.
 */
export function toInvitePreview(row: InviteRow, labels: readonly Label[], ranks: LabelRanks): InvitePreview {
  const common = { expiresAt: new Date(Number(row.expires_at)).toISOString(), requiresApproval: Number(row.requires_approval) === 1 };
  if (row.room_id === null) return { kind: 'organisation', roomName: null, roomTopic: null, memberCount: null, roomLabel: null, ...common };
  const ceiling = labels.find((label) => label.id === row.room_ceiling);
  const roomLabel = ceiling ? { id: ceiling.id, names: ceiling.names, colour: ceiling.colour } : null;
  // A ceiling that cannot be read (the room went away) shows nothing either.
  if (row.room_ceiling === null || !ranks.fits(row.room_ceiling, DEFAULT_LABEL)) {
    return { kind: 'room', roomName: null, roomTopic: null, memberCount: null, roomLabel, ...common };
  }
  return { kind: 'room', roomName: row.room_name, roomTopic: row.room_topic, memberCount: Number(row.room_member_count), roomLabel, ...common };
}
