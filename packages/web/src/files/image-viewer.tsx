import type { FileInfo } from '@enclave/protocol';
import { useEffect, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { Dialog } from '../ui/dialog';
import { FileWatermark } from '../tracing/file-watermark';
import { FileActions } from './file-actions';
import { inlineUrl, previewUrl } from './file-content';
import { useFormatFileSize } from './use-format-file-size';

interface ImageViewerProps {
  images: FileInfo[];
  index: number;
  onIndex: (index: number) => void;
  onClose: () => void;
  downloadable: (file: FileInfo) => boolean;
}

/**
 * The lightbox: one image of a message at full size, with the arrow keys (and buttons) moving between its images.
 * The dialog closes on Esc. A view-only image is the server's re-drawn preview, never the original; its context
 * menu and dragging are turned off too, a courtesy only, since what counts is that the original never arrives.
 */
export function ImageViewer({ images, index, onIndex, onClose, downloadable }: ImageViewerProps) {
  const { t } = useTranslation();
  const formatSize = useFormatFileSize();
  const image = images[index];
  const count = images.length;

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'ArrowLeft' && index > 0) onIndex(index - 1);
      else if (event.key === 'ArrowRight' && index < count - 1) onIndex(index + 1);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [index, count, onIndex]);

  if (!image) return null;
  const viewOnly = !downloadable(image);
  return (
    <Dialog title={image.name} onClose={onClose} className="image-viewer">
      <div className="dialog__body image-viewer__body">
        <img
          key={image.id}
          className="image-viewer__image"
          src={viewOnly ? previewUrl(image.id) : inlineUrl(image.id)}
          alt={image.name}
          {...(viewOnly ? { draggable: false, onContextMenu: (event: MouseEvent) => event.preventDefault() } : {})}
          {...(image.width && image.height ? { width: image.width, height: image.height } : {})}
        />
        <div className="image-viewer__bar">
          {count > 1 && (
            <button type="button" className="button button--small" aria-label={t('files.previousImage')} disabled={index === 0} onClick={() => onIndex(index - 1)}>
              ‹
            </button>
          )}
          <span className="muted">{count > 1 ? t('files.imageOf', { index: index + 1, total: count, size: formatSize(image.size) }) : formatSize(image.size)}</span>
          {count > 1 && (
            <button type="button" className="button button--small" aria-label={t('files.nextImage')} disabled={index === count - 1} onClick={() => onIndex(index + 1)}>
              ›
            </button>
          )}
          <FileActions file={image} downloadable={downloadable(image)} />
        </div>
      </div>
      <FileWatermark key={image.id} fileId={image.id} />
    </Dialog>
  );
}
