import type { RecordsQuery } from '@enclave/protocol';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { scopeQuery, type HoldScope } from './hold-coverage';
import { openHoldText } from './hold-text.codec';
import { findHoldRow, listHoldRows, roomHasMessageIn, type HoldRow } from './holds.repository';

export { holdingScope, type HeldCandidate, type HoldScope } from './hold-coverage';

type Db = Kysely<Database> | Transaction<Database>;

/**
 * What other features ask of legal holds. Every path that erases messages or destroys a room's or file's key
 * asks here first, inside its own transaction, so a hold placed a moment earlier is seen.
 */
export async function activeHoldScopes(db: Db, keys: Keyring): Promise<HoldScope[]> {
  return (await listHoldRows(db, false)).map((row) => toScope(keys, row));
}

/**
 * Refuses with LEGAL_HOLD, naming the matter, when a hold keeps anything of the room: a matter that names the
 * room keeps all of it (and what is yet to be written there); one that names custodians keeps the room if any of
 * their messages in its time range is there. Deleting the room would erase them and destroy their key.
 */
export async function requireNoHoldOnRoom(db: Db, keys: Keyring, roomId: string): Promise<void> {
  for (const scope of await activeHoldScopes(db, keys)) {
    const names = scope.roomIds.includes(roomId);
    const mayHold = scope.roomIds.length === 0 && (await roomHasMessageIn(db, roomId, scope));
    if (names || mayHold) throw new AppError('LEGAL_HOLD', { holdId: scope.id, holdName: scope.name, roomId });
  }
}

/**
 * What a matter covers, as the shared records query: the eDiscovery export of "a matter" exports this. A
 * released matter still answers (its records may be exported after the dispute); an unknown id is HOLD_NOT_FOUND.
 */
export async function matterQuery(db: Db, matterId: string): Promise<RecordsQuery> {
  const row = await findHoldRow(db, matterId);
  if (!row) throw new AppError('HOLD_NOT_FOUND');
  return scopeQuery(coverageOf(row));
}

export function coverageOf(row: HoldRow): Omit<HoldScope, 'id' | 'name'> {
  return {
    custodianIds: JSON.parse(row.custodian_ids) as string[],
    roomIds: JSON.parse(row.room_ids) as string[],
    from: row.from_at === null ? null : Number(row.from_at),
    to: row.to_at === null ? null : Number(row.to_at),
  };
}

function toScope(keys: Keyring, row: HoldRow): HoldScope {
  return { id: row.id, name: openHoldText(keys, row.id, 'name', row.name), ...coverageOf(row) };
}
