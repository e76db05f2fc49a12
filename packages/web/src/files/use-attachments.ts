import { errorMessages, FILES_PER_MESSAGE_MAX, type FileInfo } from '@enclave/protocol';
import { EnclaveApiError } from '@enclave/sdk';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { pageStorage } from '../chat/browser-draft-store';
import { currentLocale } from '../i18n/i18n';
import { useOutbox } from '../protection/outbox-context';
import { useMe, useSession } from '../session/session-context';
import { createAttachmentStore } from './attachment-store';

/** A file in the composer: on its way to the server, refused by it, or uploaded and ready to go with the message. */
export type Attachment =
  | { key: string; state: 'uploading'; file: File }
  | { key: string; state: 'failed'; file: File; error: string }
  | { key: string; state: 'ready'; info: FileInfo };

export interface Attachments {
  items: Attachment[];
  /** The label uploads get now: the composer's. */
  label: string | undefined;
  /** The uploaded files, in the order they were attached: what the next message carries. */
  ready: FileInfo[];
  uploading: boolean;
  /** Whether another file fits on the message. */
  canAdd: boolean;
  /** Why some chosen files were left out (too many for one message). */
  notice: string | undefined;
  add(files: File[]): void;
  remove(key: string): void;
  retry(key: string): void;
  /** The message went out with the ready files: they leave the composer. */
  sent(): void;
}

/**
 * The files of one composer (a room's or a thread's). Each file is uploaded as soon as it is chosen, with the
 * label the composer has at that moment, so that it is labelled like the message it goes with. Uploaded files
 * survive switching rooms and reloading (see attachment-store) and come back when the outbox returns a message.
 */
export function useAttachments({ roomId, threadRootId, label }: { roomId: string; threadRootId?: string; label: string | undefined }): Attachments {
  const { t } = useTranslation();
  const me = useMe();
  const { filePolicy, refreshFilePolicy } = useSession();
  const { onDraftReturned } = useOutbox();
  const store = useMemo(() => createAttachmentStore(pageStorage(), me.id), [me.id]);
  const [items, setItems] = useState<Attachment[]>(() => store.read(roomId, threadRootId).map(readyItem));
  const [notice, setNotice] = useState<string | undefined>();
  const nextKey = useRef(0);

  const ready = useMemo(() => items.flatMap((item) => (item.state === 'ready' ? [item.info] : [])), [items]);
  useEffect(() => store.write(roomId, ready, threadRootId), [store, roomId, threadRootId, ready]);

  // A message of this composer came back (Undo, a cancelled confirmation, a DLP block): its files are in the store.
  useEffect(
    () =>
      onDraftReturned((returnedRoomId, returnedThreadRootId) => {
        if (returnedRoomId !== roomId || returnedThreadRootId !== threadRootId) return;
        setItems((current) => [...store.read(roomId, threadRootId).map(readyItem), ...current.filter((item) => item.state !== 'ready')]);
      }),
    [onDraftReturned, store, roomId, threadRootId],
  );

  const upload = useCallback(
    (key: string, file: File) => {
      const settle = (next: Attachment) => setItems((current) => current.map((item) => (item.key === key ? next : item)));
      const refuse = (error: string) => settle({ key, state: 'failed', file, error });
      void (async () => {
        // A file over the organisation's limit is refused here rather than after it crossed the wire, but only once
        // a fresh read of the policy agrees: an administrator may have raised the limit since it was last read.
        if (file.size > filePolicy.maxBytes && file.size > (await refreshFilePolicy().catch(() => filePolicy)).maxBytes) {
          return refuse(errorMessages[currentLocale()].FILE_TOO_LARGE);
        }
        try {
          const { file: info } = await api.uploadFile(roomId, file, { name: file.name, ...(label ? { label } : {}) });
          settle({ key, state: 'ready', info });
        } catch (failure) {
          // The limit was lowered since: the next oversized file is then refused before it is sent.
          if (failure instanceof EnclaveApiError && failure.code === 'FILE_TOO_LARGE') void refreshFilePolicy().catch(() => undefined);
          refuse(describeError(failure));
        }
      })();
    },
    [roomId, label, filePolicy, refreshFilePolicy],
  );

  const add = useCallback(
    (files: File[]) => {
      const room = FILES_PER_MESSAGE_MAX - items.length;
      const taken = files.slice(0, Math.max(0, room));
      setNotice(taken.length < files.length ? t('files.tooMany', { max: FILES_PER_MESSAGE_MAX }) : undefined);
      const added = taken.map((file) => ({ key: `new-${(nextKey.current += 1)}`, state: 'uploading' as const, file }));
      setItems((current) => [...current, ...added]);
      for (const item of added) upload(item.key, item.file);
    },
    [items.length, upload, t],
  );

  const retry = useCallback(
    (key: string) => {
      const item = items.find((candidate) => candidate.key === key);
      if (item?.state !== 'failed') return;
      setItems((current) => current.map((candidate) => (candidate.key === key ? { key, state: 'uploading', file: item.file } : candidate)));
      upload(key, item.file);
    },
    [items, upload],
  );

  // A file removed while it uploads finishes unattached; the server deletes unattached uploads after a day.
  const remove = useCallback((key: string) => {
    setNotice(undefined);
    setItems((current) => current.filter((item) => item.key !== key));
  }, []);

  const sent = useCallback(() => setItems((current) => current.filter((item) => item.state !== 'ready')), []);

  return {
    items,
    label,
    ready,
    uploading: items.some((item) => item.state === 'uploading'),
    canAdd: items.length < FILES_PER_MESSAGE_MAX,
    notice,
    add,
    remove,
    retry,
    sent,
  };
}

function readyItem(info: FileInfo): Attachment {
  return { key: info.id, state: 'ready', info };
}
