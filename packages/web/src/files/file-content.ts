import { endpoints, type FileInfo } from '@enclave/protocol';
import { api } from '../app/api';

/** Where an image's thumbnail is; the cookie session authorises the `<img>` request, as for the content. */
export function thumbnailUrl(fileId: string): string {
  return endpoints.fileThumbnail.path.replace(':fileId', encodeURIComponent(fileId));
}

/** The original file shown in the browser: for files that may be downloaded only, since the bytes are the same. */
export function inlineUrl(fileId: string): string {
  return api.fileContentUrl(fileId, 'inline');
}

/** An image re-drawn by the server (WebP, at most 1600 px): how a view-only image is shown. */
export function previewUrl(fileId: string): string {
  return endpoints.filePreview.path.replace(':fileId', encodeURIComponent(fileId));
}

/** One page of a PDF drawn by the server as a picture: how a view-only PDF is shown. */
export function pageUrl(fileId: string, page: number): string {
  return endpoints.filePage.path.replace(':fileId', encodeURIComponent(fileId)).replace(':page', String(page));
}

/** How long the browser gets to start saving a download before its in-memory copy is released. */
const RELEASE_AFTER_MS = 10_000;

/**
 * Downloads a file under its own name. The bytes are fetched by script rather than through a plain link, so that
 * a refusal (DOWNLOAD_NOT_ALLOWED, when the room or the label turned view-only after the page loaded) rejects
 * with the server's translated message instead of a silent "Failed" in the browser's download list. Uploads are
 * bounded by the organisation's size limit, which keeps the in-memory copy reasonable.
 */
export async function downloadFile(file: FileInfo): Promise<void> {
  const bytes = await api.endpoint('fileContent')({ params: { fileId: file.id }, query: { disposition: 'attachment' } });
  const url = URL.createObjectURL(new Blob([bytes.slice()], { type: file.mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.click();
  setTimeout(() => URL.revokeObjectURL(url), RELEASE_AFTER_MS);
}

/** A text file's content, for the in-page viewer; the server has checked that it is UTF-8. */
export async function readTextFile(fileId: string): Promise<string> {
  const bytes = await api.endpoint('fileContent')({ params: { fileId }, query: { disposition: 'inline' } });
  return new TextDecoder().decode(bytes);
}
