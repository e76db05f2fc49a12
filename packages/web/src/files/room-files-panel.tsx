import type { EndpointOutput } from '@enclave/protocol';
import { useCallback, useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, describeError } from '../app/api';
import { useChat } from '../chat/chat-context';
import { useLabels } from '../labels/labels-context';
import { downloadForbidden } from '../protection/message-policy';
import { useRoomUi } from '../room/room-ui-context';
import { SidePanel } from '../room/side-panel';
import { FormError } from '../ui/form-error';
import { FileViewer, viewingOf } from './file-viewer';
import { RoomFileRow } from './room-file-row';

type RoomFile = EndpointOutput<'listRoomFiles'>['files'][number];

const PAGE = 30;

/** Every file shared in the room, newest first and a page at a time, each leading to its message or its viewer. */
export function RoomFilesPanel({ onClose }: { onClose: () => void }) {
  const { t } = useTranslation();
  const { room } = useRoomUi();
  const labels = useLabels();
  const { state, listen } = useChat();
  const [files, setFiles] = useState<RoomFile[] | undefined>();
  const [hasMore, setHasMore] = useState(false);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | undefined>();
  const [opened, setOpened] = useState<RoomFile | undefined>();
  const roomId = room.id;
  const loaded = state.timelines[roomId]?.messages ?? [];

  const load = useCallback(
    (before?: string) => {
      setLoading(true);
      api
        .endpoint('listRoomFiles')({ params: { roomId }, query: { limit: PAGE, before } })
        .then(
          (answer) => {
            // Pages end at a message's edge, so the next one (before that message) repeats and skips nothing.
            setFiles((current) => [...(before ? (current ?? []) : []), ...answer.files]);
            setHasMore(answer.hasMore);
          },
          (failure: unknown) => setError(describeError(failure)),
        )
        .finally(() => setLoading(false));
    },
    [roomId],
  );
  useEffect(() => load(), [load]);

  // The list starts again from the newest when files arrive, or when a message (and so its files) is taken away.
  useEffect(
    () =>
      listen((event) => {
        const changed =
          (event.type === 'message.created' && event.message.files.length > 0) || (event.type === 'message.updated' && (event.message.deleted || event.message.recalled));
        if (changed && event.message.roomId === roomId) load();
      }),
    [listen, roomId, load],
  );

  // The message's own restriction is known only for messages the page has loaded; the server has the last word.
  const downloadable = ({ file, messageId }: RoomFile) => {
    const message = loaded.find((candidate) => candidate.id === messageId);
    return !downloadForbidden(room, [labels.byId.get(file.label), message && labels.byId.get(message.label)], message);
  };

  return (
    <SidePanel title={t('files.panelTitle')} closeLabel={t('files.panelClose')} onClose={onClose}>
      <FormError message={error} />
      {files?.length === 0 && <p className="muted side-panel__empty">{t('files.panelEmpty')}</p>}
      <ul className="side-panel__list room-files" aria-label={t('files.panelTitle')}>
        {files?.map((entry) => (
          <RoomFileRow
            key={entry.file.id}
            entry={entry}
            downloadable={downloadable(entry)}
            showLabel={labels.isAbove(entry.file.label, room.defaultLabel)}
            onView={() => setOpened(entry)}
          />
        ))}
        {hasMore && files && (
          <li className="room-files__more">
            <button type="button" className="button button--small" disabled={loading} onClick={() => load(files.at(-1)?.messageId)}>
              {loading ? t('common.loading') : t('files.panelMore')}
            </button>
          </li>
        )}
      </ul>
      <FileViewer
        viewing={opened && viewingOf(opened.file, [opened.file])}
        onChange={(next) => {
          // One file at a time here: the viewer only ever closes.
          if (!next) setOpened(undefined);
        }}
        downloadable={() => opened !== undefined && downloadable(opened)}
      />
    </SidePanel>
  );
}
