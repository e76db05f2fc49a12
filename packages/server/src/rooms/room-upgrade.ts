import type { Kysely } from 'kysely';
import { isSealed } from '../keys/sealed';
import type { Database } from '../db/schema';
import { roomEventsUpgrade } from '../events/event-upgrade';
import type { Keyring } from '../keys/keyring';
import type { UpgradeStep } from '../keys/upgrade-step';
import { prepareRoomKey, roomKeyFor, sealRoomText } from './room-text.codec';
import { countRoomsWithPlainText, replaceRoomTexts, roomsWithPlainText } from './rooms.repository';

/**
 * Seals the names, topics and freeze reasons an installation from before encryption stored plain. A value that
 * is not sealed is plain (input validation never lets the sealed prefix's control character through), so the
 * step finds what is left itself and can stop and resume at any point.
 */
export const roomTextUpgrade: UpgradeStep = {
  name: 'room names and topics',
  remaining: (db) => countRoomsWithPlainText(db),
  async sealBatch(db: Kysely<Database>, keys: Keyring, limit: number): Promise<number> {
    let sealed = 0;
    for (const row of await roomsWithPlainText(db, limit)) {
      await prepareRoomKey(db, keys, row.id);
      const done = await db.transaction().execute(async (trx) => {
        const key = await roomKeyFor(trx, keys, row.id);
        const seal = (field: 'name' | 'topic' | 'frozen-reason', text: string | null) => (text === null || isSealed(text) ? text : sealRoomText(keys, key, row.id, field, text));
        return replaceRoomTexts(trx, row, { name: seal('name', row.name), topic: seal('topic', row.topic), frozen_reason: seal('frozen-reason', row.frozen_reason) });
      });
      if (done) sealed += 1;
    }
    return sealed;
  },
};

/** The logged events that showed a room: their step lives with the log (events/event-upgrade.ts). */
export { roomEventsUpgrade };

/**
 * The steps of this feature, in order. Audit entries written before encryption are left as they are: their hashes
 * cover the stored data, so sealing them in place would break `enclave audit verify` (see "Deletion" in
 * docs/admin-guide.md).
 */
export const roomUpgradeSteps: readonly UpgradeStep[] = [roomTextUpgrade, roomEventsUpgrade];
