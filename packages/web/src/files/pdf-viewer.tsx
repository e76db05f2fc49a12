import type { FileInfo } from '@enclave/protocol';
import { useEffect, useState, type MouseEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../app/api';
import { Dialog } from '../ui/dialog';
import { FileWatermark } from '../tracing/file-watermark';
import { FileActions } from './file-actions';
import { inlineUrl, pageUrl } from './file-content';

/**
 * A PDF in the page. One that may be downloaded opens in the browser's own viewer, framed in the page (the server
 * lets only our pages frame a file). A view-only one is never sent to the browser: it is shown as the pages the
 * server draws, one at a time, with buttons and the arrow keys to turn them.
 */
export function PdfViewer({ file, downloadable, onClose }: { file: FileInfo; downloadable: boolean; onClose: () => void }) {
  return (
    <Dialog title={file.name} onClose={onClose} className="pdf-viewer">
      <div className="dialog__body pdf-viewer__body">
        {downloadable ? <iframe className="pdf-viewer__frame" src={inlineUrl(file.id)} title={file.name} /> : <RenderedPages file={file} />}
        <FileActions file={file} downloadable={downloadable} />
      </div>
      <FileWatermark fileId={file.id} />
    </Dialog>
  );
}

/**
 * The server's pictures of a view-only PDF's pages. The server counts a PDF's pages when it first draws one, so a
 * PDF nobody has viewed yet learns its count from the file's details once its first page has arrived.
 */
function RenderedPages({ file }: { file: FileInfo }) {
  const { t } = useTranslation();
  const [page, setPage] = useState(1);
  const [pageCount, setPageCount] = useState(file.pageCount);
  const total = pageCount ?? 1;

  function counted() {
    if (pageCount !== null) return;
    api
      .endpoint('getFile')({ params: { fileId: file.id } })
      .then(({ file: details }) => setPageCount(details.pageCount))
      // Without the count the viewer still shows the first page; nothing else depends on it.
      .catch(() => undefined);
  }

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'ArrowLeft') setPage((current) => Math.max(1, current - 1));
      else if (event.key === 'ArrowRight') setPage((current) => Math.min(total, current + 1));
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [total]);

  return (
    <>
      <div className="pdf-viewer__pages">
        <img
          key={page}
          className="pdf-viewer__page"
          src={pageUrl(file.id, page)}
          alt={t('files.pageOf', { page, total })}
          draggable={false}
          onLoad={counted}
          onContextMenu={(event: MouseEvent) => event.preventDefault()}
        />
      </div>
      <div className="pdf-viewer__bar">
        <button type="button" className="button button--small" aria-label={t('files.previousPage')} disabled={page === 1} onClick={() => setPage(page - 1)}>
          ‹
        </button>
        <span className="muted" aria-live="polite">
          {t('files.pageOf', { page, total })}
        </span>
        <button type="button" className="button button--small" aria-label={t('files.nextPage')} disabled={page >= total} onClick={() => setPage(page + 1)}>
          ›
        </button>
      </div>
    </>
  );
}
