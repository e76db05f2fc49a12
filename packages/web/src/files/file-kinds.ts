import type { FileMime } from '@enclave/protocol';

/** The families the page shows files by: each has its own icon colour, and the admin console groups types by them. */
export type FileKind = 'image' | 'pdf' | 'text' | 'office' | 'zip' | 'executable' | 'binary';

/** A key per type for i18n (`files.types.<key>`), since MIME types are no good as keys. */
export type FileTypeKey = 'png' | 'jpeg' | 'gif' | 'webp' | 'pdf' | 'plain' | 'csv' | 'markdown' | 'docx' | 'xlsx' | 'pptx' | 'zip' | 'executable' | 'binary';

/** Each type's family, i18n key and the short tag on its icon. */
interface TypeFacts {
  kind: FileKind;
  key: FileTypeKey;
  tag: string;
}

const facts: Record<FileMime, TypeFacts> = {
  'image/png': { kind: 'image', key: 'png', tag: 'PNG' },
  'image/jpeg': { kind: 'image', key: 'jpeg', tag: 'JPG' },
  'image/gif': { kind: 'image', key: 'gif', tag: 'GIF' },
  'image/webp': { kind: 'image', key: 'webp', tag: 'WEBP' },
  'application/pdf': { kind: 'pdf', key: 'pdf', tag: 'PDF' },
  'text/plain': { kind: 'text', key: 'plain', tag: 'TXT' },
  'text/csv': { kind: 'text', key: 'csv', tag: 'CSV' },
  'text/markdown': { kind: 'text', key: 'markdown', tag: 'MD' },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': { kind: 'office', key: 'docx', tag: 'DOCX' },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { kind: 'office', key: 'xlsx', tag: 'XLSX' },
  'application/vnd.openxmlformats-officedocument.presentationml.presentation': { kind: 'office', key: 'pptx', tag: 'PPTX' },
  'application/zip': { kind: 'zip', key: 'zip', tag: 'ZIP' },
  'application/x-executable': { kind: 'executable', key: 'executable', tag: 'EXE' },
  'application/octet-stream': { kind: 'binary', key: 'binary', tag: 'BIN' },
};

/** The order the admin console lists the families in. */
export const FILE_KINDS: readonly FileKind[] = ['image', 'pdf', 'text', 'office', 'zip', 'executable', 'binary'];

export function kindOf(mime: FileMime): FileKind {
  return facts[mime].kind;
}

export function typeKeyOf(mime: FileMime): FileTypeKey {
  return facts[mime].key;
}

export function tagOf(mime: FileMime): string {
  return facts[mime].tag;
}

/** Every recognised type of one family, in the protocol's order. */
export function typesOf(kind: FileKind): FileMime[] {
  return (Object.keys(facts) as FileMime[]).filter((mime) => facts[mime].kind === kind);
}

/**
 * How the page shows a file for someone who may download it or, when `downloadable` is false, only view it. The
 * server never sends a view-only file's original bytes, so then only what it renders can be shown: images and
 * PDF pages; text would be the original bytes, and has no viewer then, like office documents.
 */
export function viewerFor(mime: FileMime, downloadable: boolean): 'image' | 'text' | 'pdf' | undefined {
  const viewer = viewerOf(mime);
  return viewer === 'text' && !downloadable ? undefined : viewer;
}

/**
 * How the page can show a file without saving it: images in the lightbox, text in a dialog, PDFs in the
 * browser's own PDF viewer in a dialog. Office documents, archives and programs have no viewer in a browser.
 */
export function viewerOf(mime: FileMime): 'image' | 'text' | 'pdf' | undefined {
  const kind = kindOf(mime);
  return kind === 'image' || kind === 'text' || kind === 'pdf' ? kind : undefined;
}
