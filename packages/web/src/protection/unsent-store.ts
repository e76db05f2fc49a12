import type { FileInfo } from '@enclave/protocol';
import type { DraftStorage } from '../chat/draft-store';

/** A message held back for the undo delay, as remembered in case the page dies before sending it. */
export interface UnsentRecord {
  id: string;
  roomId: string;
  threadRootId?: string;
  text: string;
  /** Uploaded files it carries; they go back to the composer with the text. */
  files?: FileInfo[];
  /** When the page meant to send it (ms since the epoch). */
  sendAt: number;
}

/**
 * A page that is alive sends (and forgets) a held message at `sendAt`; one still remembered this long after that
 * was left behind by a page that died, and its text goes back to the drafts instead.
 */
const ABANDONED_AFTER_MS = 5000;

/**
 * Held messages of one person in the browser's storage. Closing the page normally hands them back to the drafts
 * at once (pagehide); this record covers a page that crashed or was killed, so the text is not lost either way.
 */
export function createUnsentStore(storage: DraftStorage, userId: string) {
  const key = `enclave.unsent.${userId}`;
  const read = (): UnsentRecord[] => {
    try {
      const parsed: unknown = JSON.parse(storage.getItem(key) ?? '[]');
      return Array.isArray(parsed) ? (parsed as UnsentRecord[]) : [];
    } catch {
      return [];
    }
  };
  const write = (records: UnsentRecord[]) => {
    try {
      if (records.length === 0) storage.removeItem(key);
      else storage.setItem(key, JSON.stringify(records));
    } catch {
      // Without storage, only pagehide can save held text; that covers every ordinary way of leaving the page.
    }
  };
  return {
    remember: (record: UnsentRecord) => write([...read().filter((r) => r.id !== record.id), record]),
    forget: (id: string) => write(read().filter((r) => r.id !== id)),
    /** Removes and returns what pages that are gone left behind. */
    takeAbandoned(now: number): UnsentRecord[] {
      const records = read();
      const abandoned = records.filter((r) => r.sendAt + ABANDONED_AFTER_MS < now);
      if (abandoned.length > 0) write(records.filter((r) => !abandoned.includes(r)));
      return abandoned;
    },
  };
}
