import type { FileInfo } from '@enclave/protocol';
import { useTranslation } from 'react-i18next';
import { thumbnailUrl } from './file-content';
import { tileSize } from './tile-size';

/** An image's thumbnail at its final size from the start, so that the timeline does not jump as it loads. */
export function ImageTile({ file, onOpen }: { file: FileInfo; onOpen: () => void }) {
  const { t } = useTranslation();
  return (
    <button type="button" className="image-tile" aria-label={t('files.openImage', { name: file.name })} title={file.name} onClick={onOpen}>
      <img src={thumbnailUrl(file.id)} alt={file.name} loading="lazy" decoding="async" {...tileSize(file)} />
    </button>
  );
}
