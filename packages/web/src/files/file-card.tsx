import type { FileInfo } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { LabelChip } from '../labels/label-chip';
import { FileActions } from './file-actions';
import { typeKeyOf } from './file-kinds';
import { useFormatFileSize } from './use-format-file-size';
import { FileTypeIcon } from './file-type-icon';

interface FileCardProps {
  file: FileInfo;
  downloadable: boolean;
  /** Show the file's label: only labels above the room's default stand out, as on messages. */
  showLabel: boolean;
  onView: () => void;
}

/** A file that is not shown as a picture: its type, name and size, and what can be done with it. */
export function FileCard({ file, downloadable, showLabel, onView }: FileCardProps) {
  const { t } = useTranslation();
  const formatSize = useFormatFileSize();
  return (
    <div className="file-card" role="group" aria-label={file.name}>
      <FileTypeIcon mime={file.mime} />
      <div className="file-card__text">
        <span className="file-card__name" title={file.name}>
          {file.name}
        </span>
        <span className="file-card__facts muted">
          {formatSize(file.size)} · {t(`files.types.${typeKeyOf(file.mime)}`)}
          {showLabel && <LabelChip labelId={file.label} />}
        </span>
      </div>
      <FileActions file={file} downloadable={downloadable} onView={onView} />
    </div>
  );
}
