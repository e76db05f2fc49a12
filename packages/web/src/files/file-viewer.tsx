import type { FileInfo } from '@enclave/protocol';
import { viewerOf } from './file-kinds';
import { ImageViewer } from './image-viewer';
import { PdfViewer } from './pdf-viewer';
import { TextViewer } from './text-viewer';

/** What the in-page viewer shows: one of a set of images (a message's), a text file or a PDF. */
export type Viewing = { kind: 'image'; images: FileInfo[]; index: number } | { kind: 'text'; file: FileInfo } | { kind: 'pdf'; file: FileInfo };

/** How `file` opens in the page, among `images` to step through; undefined for types the page cannot show. */
export function viewingOf(file: FileInfo, images: FileInfo[]): Viewing | undefined {
  const viewer = viewerOf(file.mime);
  if (viewer === 'image') return images.includes(file) ? { kind: 'image', images, index: images.indexOf(file) } : { kind: 'image', images: [file], index: 0 };
  return viewer ? { kind: viewer, file } : undefined;
}

/** The open viewer, if any. */
export function FileViewer({ viewing, onChange, downloadable }: { viewing: Viewing | undefined; onChange: (viewing: Viewing | undefined) => void; downloadable: (file: FileInfo) => boolean }) {
  if (!viewing) return null;
  const close = () => onChange(undefined);
  if (viewing.kind === 'text') return <TextViewer file={viewing.file} downloadable={downloadable(viewing.file)} onClose={close} />;
  if (viewing.kind === 'pdf') return <PdfViewer file={viewing.file} downloadable={downloadable(viewing.file)} onClose={close} />;
  return <ImageViewer images={viewing.images} index={viewing.index} onIndex={(index) => onChange({ ...viewing, index })} onClose={close} downloadable={downloadable} />;
}
