import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from '../keys/keyring';
import type { UpgradeStep } from '../keys/upgrade-step';
import { storedPayload } from './event-log';
import { countEventsWithWholeRooms, eventsWithWholeRooms, replaceEventPayload } from './event-log.repository';

/**
 * Rewrites logged events that still carry a whole room (its name and topic) to carry its id only, as the log now
 * stores them (events/event-log.ts); replay reads the room back from `rooms`.
 */
export const roomEventsUpgrade: UpgradeStep = {
  name: 'room events',
  remaining: (db) => countEventsWithWholeRooms(db),
  async sealBatch(db: Kysely<Database>, _keys: Keyring, limit: number): Promise<number> {
    const rows = await eventsWithWholeRooms(db, limit);
    for (const row of rows) await replaceEventPayload(db, Number(row.position), JSON.stringify(storedPayload(JSON.parse(row.payload) as Record<string, unknown>)));
    return rows.length;
  },
};
