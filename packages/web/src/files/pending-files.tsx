import type { FileInfo } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { useFormatFileSize } from './use-format-file-size';
import { FileTypeIcon } from './file-type-icon';

/** The files of a message the server has not stored yet: names only, until the stored message brings previews. */
export function PendingFiles({ files }: { files: FileInfo[] }) {
  const { t } = useTranslation();
  const formatSize = useFormatFileSize();
  if (files.length === 0) return null;
  return (
    <ul className="pending-files" aria-label={t('files.attachedTo', { count: files.length })}>
      {files.map((file) => (
        <li key={file.id} className="pending-files__file">
          <FileTypeIcon mime={file.mime} />
          <span>{file.name}</span>
          <span className="muted">{formatSize(file.size)}</span>
        </li>
      ))}
    </ul>
  );
}
