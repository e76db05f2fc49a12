/** The part of the Web Storage API the draft store uses, so tests can hand it a Map-backed one. */
export interface DraftStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

export interface DraftStore {
  read(roomId: string, threadRootId?: string): string;
  /** An empty (or blank) draft is removed rather than kept. */
  write(roomId: string, text: string, threadRootId?: string): void;
}

/**
 * Unsent text per room (and per thread), per person, in the browser's storage, so that switching rooms or
 * reloading keeps what was being written. Keys name the user so that two people sharing a browser never see each
 * other's drafts. Storage can be missing or full (private modes); drafts then last only as long as the composer.
 */
export function createDraftStore(storage: DraftStorage | undefined, userId: string): DraftStore {
  const key = (roomId: string, threadRootId?: string) => `enclave.draft.${userId}.${roomId}${threadRootId ? `.${threadRootId}` : ''}`;
  return {
    read(roomId, threadRootId) {
      try {
        return storage?.getItem(key(roomId, threadRootId)) ?? '';
      } catch {
        return '';
      }
    },
    write(roomId, text, threadRootId) {
      try {
        if (text.trim() === '') storage?.removeItem(key(roomId, threadRootId));
        else storage?.setItem(key(roomId, threadRootId), text);
      } catch {
        // Full or forbidden storage: the draft stays in the composer until it is sent or the page is closed.
      }
    },
  };
}
