import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import type { UpgradeStep } from '../keys/upgrade-step';
import { countPlainHeld, plainHeld, replacePlainHeld } from '../protection/protection.access';
import { encodeBody, heldPlace, loadSealingKeys, messagePlace, versionPlace, type BodyPlace } from './message-body.codec';
import { countPlainBodies, countPlainVersions, plainBodies, plainVersions, replacePlainBody, replacePlainVersion } from './message-upgrade.repository';

/**
 * The upgrade steps of message text: an installation from before encryption has its messages' text, the versions
 * edits kept and the held items' text in plain form; each step seals what is still plain, a batch per short
 * transaction, while chat goes on. A row counts as plain when its stored text does not carry the sealed prefix.
 * A row that carries it but does not open is damaged, not plain: sealing it again would turn its ciphertext into
 * text that opens, and members would see base64 instead of "damaged"; it is left as it is (and reported when read).
 */
export const messageUpgradeSteps: readonly UpgradeStep[] = [
  sealingStep('message text', countPlainBodies, async (db, limit) =>
    (await plainBodies(db, limit)).map((row) => ({ body: row.body, place: messagePlace(row.room_id, row.id), store: (trx, sealed) => replacePlainBody(trx, row.id, row.body, sealed) })),
  ),
  sealingStep('message versions', countPlainVersions, async (db, limit) =>
    (await plainVersions(db, limit)).map((row) => ({
      body: row.body,
      place: versionPlace(row.room_id, row.message_id, Number(row.version)),
      store: (trx, sealed) => replacePlainVersion(trx, { messageId: row.message_id, version: Number(row.version) }, row.body, sealed),
    })),
  ),
  sealingStep('held messages', countPlainHeld, async (db, limit) =>
    (await plainHeld(db, limit)).map((row) => ({ body: row.body, place: heldPlace(row.room_id, row.id), store: (trx, sealed) => replacePlainHeld(trx, row.id, row.body, sealed) })),
  ),
];

/** One plain stored text, where it belongs, and how to store its sealed form (false: it changed meanwhile). */
interface PlainText {
  body: string;
  place: BodyPlace;
  store(trx: Kysely<Database>, sealed: string): Promise<boolean>;
}

function sealingStep(name: string, remaining: (db: Kysely<Database>) => Promise<number>, page: (db: Kysely<Database>, limit: number) => Promise<PlainText[]>): UpgradeStep {
  return {
    name,
    remaining,
    async sealBatch(db: Kysely<Database>, keys: Keyring, limit: number): Promise<number> {
      // With encryption off nothing is sealed, so the step would find the same rows for ever.
      if (!keys.encrypting) return 0;
      const rows = await page(db, limit);
      if (rows.length === 0) return 0;
      await loadSealingKeys(db, keys, rows.map((row) => row.place.roomId));
      return db.transaction().execute(async (trx) => {
        let sealed = 0;
        for (const row of rows) if (await row.store(trx, encodeBody(keys, row.place, row.body))) sealed += 1;
        return sealed;
      });
    },
  };
}
