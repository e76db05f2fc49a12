import { FileInfo } from '@enclave/protocol';
import type { DraftStorage } from '../chat/draft-store';

export interface AttachmentStore {
  read(roomId: string, threadRootId?: string): FileInfo[];
  /** No files removes the entry rather than keeping an empty one. */
  write(roomId: string, files: FileInfo[], threadRootId?: string): void;
}

const StoredFiles = FileInfo.array();

/**
 * Files uploaded in a composer but not sent yet, per room (and thread) and person, in the drafts' storage: they
 * stay attached when the person switches rooms or reloads, and the outbox puts files back here when a send is
 * undone, cancelled or blocked. Only the server's description is kept; the bytes are on the server already.
 */
export function createAttachmentStore(storage: DraftStorage | undefined, userId: string): AttachmentStore {
  const key = (roomId: string, threadRootId?: string) => `enclave.attachments.${userId}.${roomId}${threadRootId ? `.${threadRootId}` : ''}`;
  return {
    read(roomId, threadRootId) {
      try {
        const parsed = StoredFiles.safeParse(JSON.parse(storage?.getItem(key(roomId, threadRootId)) ?? '[]'));
        return parsed.success ? parsed.data : [];
      } catch {
        return [];
      }
    },
    write(roomId, files, threadRootId) {
      try {
        if (files.length === 0) storage?.removeItem(key(roomId, threadRootId));
        else storage?.setItem(key(roomId, threadRootId), JSON.stringify(files));
      } catch {
        // Full or forbidden storage: the files stay attached as long as the composer is open.
      }
    },
  };
}
