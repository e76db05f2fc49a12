import { createDraftStore, type DraftStorage, type DraftStore } from './draft-store';

/**
 * The page's draft store for one person: the browser's local storage, or, where privacy settings forbid it, a map
 * that lasts as long as the page. The composer and the outbox (which hands unsent text back) share it.
 */
export function browserDraftStore(userId: string): DraftStore {
  return createDraftStore(pageStorage(), userId);
}

const pageMemory = new Map<string, string>();
const memoryStorage: DraftStorage = {
  getItem: (key) => pageMemory.get(key) ?? null,
  setItem: (key, value) => void pageMemory.set(key, value),
  removeItem: (key) => void pageMemory.delete(key),
};

/** The browser's local storage, or where privacy settings forbid it, storage that lasts as long as the page. */
export function pageStorage(): DraftStorage {
  try {
    return window.localStorage;
  } catch {
    return memoryStorage;
  }
}
