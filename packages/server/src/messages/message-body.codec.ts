import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import { roomKeyOwner, type Keyring, type KeyOwner } from '../keys/keyring';
import { ContentDamaged, isSealed, openText, sealText } from '../keys/sealed';

/**
 * The single door for message text at rest. Invariant: every write and every read of a stored message text
 * (`messages.body`, every `message_versions.body`, `held_messages.body`, `scheduled_messages.body`, an urgent message's reason) passes through `encodeBody` and
 * `decodeBody`; nothing else turns text into what is stored or back. Text is sealed with AES-256-GCM under its
 * room's data key, and the place names the row (`message/<room>/<id>/current`, `.../v<n>`, `held/<room>/<id>`, `scheduled/<room>/<id>`),
 * so a ciphertext copied into another row, or a version moved back into the message, does not open there.
 *
 * Sealing is synchronous with the room's key from the keyring's memory: callers load the keys of the rooms whose
 * rows they are about to read (`keys.ensure`) or write (`keys.keyFor`, before their transaction) first.
 */
export interface BodyPlace {
  roomId: string;
  /** The row's identity, bound to its ciphertext as associated data. */
  aad: string;
}

/** Where a message's current text is stored. */
export function messagePlace(roomId: string, messageId: string): BodyPlace {
  return { roomId, aad: `message/${roomId}/${messageId}/current` };
}

/** Where an urgent message keeps its sender's reason (written by a person, so sealed like the text). */
export function urgentReasonPlace(roomId: string, messageId: string): BodyPlace {
  return { roomId, aad: `message/${roomId}/${messageId}/urgent` };
}

/** Where the text an edit replaced is kept: version 1 is the text as first sent. */
export function versionPlace(roomId: string, messageId: string, version: number): BodyPlace {
  return { roomId, aad: `message/${roomId}/${messageId}/v${version}` };
}

/** Where a send, edit or forward held for review keeps its text. */
export function heldPlace(roomId: string, heldId: string): BodyPlace {
  return { roomId, aad: `held/${roomId}/${heldId}` };
}

/** Where a scheduled message keeps its text until it goes, and (`urgent`) the reason of an urgent one. */
export function scheduledPlace(roomId: string, scheduledId: string, part: 'text' | 'urgent' = 'text'): BodyPlace {
  return { roomId, aad: part === 'text' ? `scheduled/${roomId}/${scheduledId}` : `scheduled/${roomId}/${scheduledId}/urgent` };
}

/** The keys that seal and open text stored in these rooms, for `keys.ensure` / `keys.keyFor`. */
export function bodyKeyOwners(roomIds: Iterable<string>): KeyOwner[] {
  return [...new Set(roomIds)].map(roomKeyOwner);
}

/**
 * Loads (or creates) the keys that seal text in these rooms, before a write's transaction: a key created inside
 * a transaction that then rolled back would stay cached, and text sealed with it would have no stored key. No
 * query when the keys are loaded already, as they are for every room but a new one.
 */
export async function loadSealingKeys(db: Kysely<Database>, keys: Keyring, roomIds: Iterable<string>): Promise<void> {
  if (!keys.encrypting) return;
  for (const owner of bodyKeyOwners(roomIds)) if (!keys.has(owner)) await keys.keyFor(db, owner);
}

/** The stored form of `text` at `place`: sealed, unless the installation runs with encryption off. */
export function encodeBody(keys: Keyring, place: BodyPlace, text: string): string {
  if (!keys.encrypting) return text;
  return sealText(keys.key(roomKeyOwner(place.roomId)), place.aad, text);
}

/**
 * The text stored at `place`. Throws ContentDamaged when sealed text does not open (changed bytes, another row's
 * ciphertext, its room's key gone), and when plain text is found where plain text is no longer accepted.
 */
export function decodeBody(keys: Keyring, place: BodyPlace, stored: string): string {
  if (!isSealed(stored)) {
    // Plain text is read only while an installation is being sealed in place, or with encryption off.
    if (keys.acceptsPlain) return stored;
    throw new ContentDamaged(place.aad);
  }
  const owner = roomKeyOwner(place.roomId);
  if (!keys.has(owner)) throw new ContentDamaged(place.aad);
  return openText(keys.key(owner), place.aad, stored);
}
