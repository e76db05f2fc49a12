import type { FileInfo } from '@enclave/protocol';
import { Dialog } from '../ui/dialog';
import { FileActions } from './file-actions';
import { inlineUrl } from './file-content';

/**
 * A PDF in the browser's own viewer, framed in the page (the server lets only our pages frame a file). For a
 * view-only file the viewer's toolbar, with its save and print buttons, is hidden: a deterrent like the one
 * against copying text, since the inline bytes still reach the browser.
 */
export function PdfViewer({ file, downloadable, onClose }: { file: FileInfo; downloadable: boolean; onClose: () => void }) {
  return (
    <Dialog title={file.name} onClose={onClose} className="pdf-viewer">
      <div className="dialog__body pdf-viewer__body">
        <iframe className="pdf-viewer__frame" src={downloadable ? inlineUrl(file.id) : `${inlineUrl(file.id)}#toolbar=0`} title={file.name} />
        <FileActions file={file} downloadable={downloadable} />
      </div>
    </Dialog>
  );
}
