import type { FileInfo, Message } from '@enclave/protocol';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useLabels } from '../labels/labels-context';
import { downloadForbidden } from '../protection/message-policy';
import { useRoomUi } from '../room/room-ui-context';
import { FileCard } from './file-card';
import { viewerOf } from './file-kinds';
import { FileViewer, viewingOf, type Viewing } from './file-viewer';
import { ImageTile } from './image-tile';

/**
 * The files a stored message carries, under its text: images with a thumbnail as pictures that open the lightbox,
 * everything else as a card. Whether each may be downloaded follows the room, the labels and the message.
 */
export function MessageFiles({ message }: { message: Message }) {
  const { t } = useTranslation();
  const { room } = useRoomUi();
  const labels = useLabels();
  const [viewing, setViewing] = useState<Viewing | undefined>();
  const images = message.files.filter((file) => viewerOf(file.mime) === 'image');
  const tiles = images.filter((file) => file.hasThumbnail);
  const cards = message.files.filter((file) => !tiles.includes(file));
  const downloadable = (file: FileInfo) => !downloadForbidden(room, [labels.byId.get(file.label), labels.byId.get(message.label)], message);
  const open = (file: FileInfo) => setViewing(viewingOf(file, images));

  return (
    <div className="message-files" role="group" aria-label={t('files.attachedTo', { count: message.files.length })}>
      {tiles.length > 0 && (
        <div className="message-files__images">
          {tiles.map((file) => (
            <ImageTile key={file.id} file={file} onOpen={() => open(file)} />
          ))}
        </div>
      )}
      {cards.map((file) => (
        <FileCard key={file.id} file={file} downloadable={downloadable(file)} showLabel={labels.isAbove(file.label, room.defaultLabel)} onView={() => open(file)} />
      ))}
      <FileViewer viewing={viewing} onChange={setViewing} downloadable={downloadable} />
    </div>
  );
}
