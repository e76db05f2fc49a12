import type { Kysely, Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';

/** A stored text that did not open: a message's or a held item's. */
export interface DamagedItem {
  type: 'message' | 'held_message';
  id: string;
  roomId: string;
}

/**
 * What this process has reported already, per keyring (one per server: tests run several in one process). A
 * damaged message is read on every page that shows it; the audit log gets it once per process, not once a read.
 */
const reported = new WeakMap<Keyring, Set<string>>();

/**
 * Records each damaged item once in the audit log (`content.damaged`), in `db`'s transaction when it is one (the
 * read happens inside a write), otherwise in a transaction of its own.
 */
export async function reportDamaged(db: Kysely<Database>, keys: Keyring, items: readonly DamagedItem[]): Promise<void> {
  const seen = reported.get(keys) ?? new Set<string>();
  reported.set(keys, seen);
  const fresh = items.filter((item) => !seen.has(`${item.type}/${item.id}`));
  if (fresh.length === 0) return;
  for (const item of fresh) seen.add(`${item.type}/${item.id}`);
  const write = async (trx: Transaction<Database>) => {
    for (const item of fresh) await recordAudit(trx, { actorId: null, action: 'content.damaged', target: { type: item.type, id: item.id }, data: { roomId: item.roomId } });
  };
  try {
    if (db.isTransaction) await write(db as Transaction<Database>);
    else await db.transaction().execute(write);
  } catch (error) {
    // Not recorded after all: the next read tries again.
    for (const item of fresh) seen.delete(`${item.type}/${item.id}`);
    throw error;
  }
}
