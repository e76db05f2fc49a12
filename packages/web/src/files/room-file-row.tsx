import type { EndpointOutput } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { messageRoute, navigate } from '../app/router';
import { LabelChip } from '../labels/label-chip';
import { usePeople } from '../people/people-context';
import { useFormatTime } from '../ui/use-format-time';
import { FileActions } from './file-actions';
import { thumbnailUrl } from './file-content';
import { useFormatFileSize } from './use-format-file-size';
import { FileTypeIcon } from './file-type-icon';

type RoomFile = EndpointOutput<'listRoomFiles'>['files'][number];

interface RoomFileRowProps {
  entry: RoomFile;
  downloadable: boolean;
  showLabel: boolean;
  onView: () => void;
}

/** One file of the room's list: what it is, who shared it when, and the way to its message or its content. */
export function RoomFileRow({ entry, downloadable, showLabel, onView }: RoomFileRowProps) {
  const { t } = useTranslation();
  const people = usePeople();
  const format = useFormatTime();
  const formatSize = useFormatFileSize();
  const { file } = entry;
  const sender = people.byId.get(entry.senderId)?.displayName ?? t('common.someone');
  return (
    <li className="room-file" aria-label={file.name}>
      {file.hasThumbnail ? <img className="room-file__thumb" src={thumbnailUrl(file.id)} alt="" loading="lazy" width={40} height={40} /> : <FileTypeIcon mime={file.mime} />}
      <div className="room-file__text">
        <span className="room-file__name" title={file.name}>
          {file.name}
        </span>
        <span className="muted room-file__facts">
          {formatSize(file.size)} · {sender} ·{' '}
          <time dateTime={entry.sentAt} title={format.full(entry.sentAt)}>
            {format.day(entry.sentAt)}
          </time>
          {showLabel && <LabelChip labelId={file.label} />}
        </span>
        <div className="room-file__actions">
          <button
            type="button"
            className="button button--small"
            aria-label={t('files.showMessageOf', { name: file.name })}
            onClick={() => navigate(messageRoute({ id: entry.messageId, roomId: file.roomId, threadRootId: entry.threadRootId }))}
          >
            {t('files.showMessage')}
          </button>
          <FileActions file={file} downloadable={downloadable} onView={onView} />
        </div>
      </div>
    </li>
  );
}
