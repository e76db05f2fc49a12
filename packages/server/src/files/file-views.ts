import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import type { Actor } from '../auth/actor';
import type { Database } from '../db/schema';
import { recordAudit } from '../audit/audit.service';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import type { DamagedFiles } from './damaged-files';
import type { FileAccess, ReachableFile } from './file-access';
import { ensureFileKeys, identityOf } from './file-sealing.codec';
import type { FileStore } from './file-store';
import { setPageCount, type FileInfoRow } from './files.repository';
import { MAX_DECODED_IMAGE_BYTES } from './image-preview';
import { RENDERED_MAX_SIDE, renderImage } from './previews/image-render';
import { stampPreview } from './previews/preview-stamp';
import { runPageRender } from './previews/run-page-render';
import type { FileStamping } from './stamping/file-stamping';

export interface FileViewsDeps {
  db: Kysely<Database>;
  store: FileStore;
  keys: Keyring;
  access: FileAccess;
  log: FastifyBaseLogger;
  damaged: DamagedFiles;
  stamping: FileStamping;
}

/** A rendered view on its way out: never the original's bytes, and tagged by its own content, not the original's hash. */
export interface RenderedView {
  mime: 'image/webp' | 'image/png';
  bytes: Buffer;
  etag: string;
}

/** PDFs larger than this are not parsed for viewing: pdf.js must hold the whole file. */
const MAX_RENDERED_DOCUMENT_BYTES = 50 * 1024 * 1024;

/**
 * Rendered views of a file, for anyone who can see it: an image re-drawn by sharp, a PDF page drawn by pdf.js in
 * a worker thread. They are what a view-only file is shown as, since its original bytes never leave the server
 * (FilesService.openContent). Each rendering is kept next to the file (FileStore views) and goes through
 * `stampPreview` on its way to each viewer. Every view is audited (`file.viewed`), like every content request.
 */
export class FileViews {
  constructor(private readonly deps: FileViewsDeps) {}

  async imagePreview(actor: Actor, fileId: string, ifNoneMatch?: string): Promise<RenderedView> {
    const file = await this.deps.access.requireFile(actor, fileId);
    const { row } = file;
    if (!row.mime.startsWith('image/') || Number(row.size) > MAX_DECODED_IMAGE_BYTES) throw new AppError('PREVIEW_NOT_AVAILABLE');
    const variant = `image-${RENDERED_MAX_SIDE}.webp`;
    const cached = await this.readView(actor, row, variant);
    if (cached) return this.deliver(actor, file, { view: 'preview' }, 'image/webp', cached, ifNoneMatch);
    const rendered = await renderImage(await this.original(actor, row));
    if (!rendered) throw new AppError('PREVIEW_NOT_AVAILABLE');
    await this.keep(row, variant, rendered);
    return this.deliver(actor, file, { view: 'preview' }, 'image/webp', rendered, ifNoneMatch);
  }

  async pdfPage(actor: Actor, fileId: string, page: number, ifNoneMatch?: string): Promise<RenderedView> {
    const file = await this.deps.access.requireFile(actor, fileId);
    const { row } = file;
    if (row.mime !== 'application/pdf' || Number(row.size) > MAX_RENDERED_DOCUMENT_BYTES) throw new AppError('PREVIEW_NOT_AVAILABLE');
    if (row.page_count !== null && page > Number(row.page_count)) throw new AppError('PAGE_NOT_FOUND', { pageCount: Number(row.page_count) });
    const variant = `page-${page}-${RENDERED_MAX_SIDE}.png`;
    const cached = await this.readView(actor, row, variant);
    if (cached) return this.deliver(actor, file, { view: 'page', page }, 'image/png', cached, ifNoneMatch);
    const result = await runPageRender({ bytes: await this.original(actor, row), page, maxSide: RENDERED_MAX_SIDE });
    if (!result.ok) throw new AppError('PREVIEW_NOT_AVAILABLE');
    // The first page drawn tells the file's page count, kept for the viewer's navigation and for later requests.
    if (row.page_count === null) await setPageCount(this.deps.db, row.id, result.pageCount);
    if (!result.png) throw new AppError('PAGE_NOT_FOUND', { pageCount: result.pageCount });
    const png = Buffer.from(result.png);
    await this.keep(row, variant, png);
    return this.deliver(actor, file, { view: 'page', page }, 'image/png', png, ifNoneMatch);
  }

  /** A view kept earlier, opened with the file's key (loaded here for the original and the views alike). */
  private async readView(actor: Actor, row: FileInfoRow, variant: string): Promise<Buffer | undefined> {
    try {
      await ensureFileKeys(this.deps.db, this.deps.keys, [row]);
      return await this.deps.store.readView(row.storage_key, variant, identityOf(this.deps.keys, row, `view-${variant}`));
    } catch (error) {
      throw await this.deps.damaged.refusal(error, row.id, actor.userId, actor.ip);
    }
  }

  /**
   * The original's plain bytes in memory, for sharp or the page-rendering worker (both bounded: images by the file
   * policy, PDFs by MAX_RENDERED_DOCUMENT_BYTES); a file that does not open is CONTENT_DAMAGED.
   */
  private async original(actor: Actor, row: FileInfoRow): Promise<Buffer> {
    try {
      const source = await this.deps.store.open(row.storage_key, identityOf(this.deps.keys, row, 'bytes'));
      try {
        return (await source.prefix(source.size)).bytes;
      } finally {
        await source.close();
      }
    } catch (error) {
      throw await this.deps.damaged.refusal(error, row.id, actor.userId, actor.ip);
    }
  }

  /** The cache only saves work: a view that cannot be kept is still shown. */
  private async keep(row: FileInfoRow, variant: string, rendered: Buffer): Promise<void> {
    const identity = identityOf(this.deps.keys, row, `view-${variant}`);
    await this.deps.store.writeView(row.storage_key, variant, identity, rendered).catch((error: unknown) => this.deps.log.warn({ err: error }, 'keeping a rendered view failed'));
  }

  private async deliver(actor: Actor, file: ReachableFile, what: { view: 'preview' | 'page'; page?: number }, mime: RenderedView['mime'], rendered: Buffer, ifNoneMatch: string | undefined): Promise<RenderedView> {
    const variant = what.view === 'preview' ? 'preview' : (`page-${what.page ?? 1}` as const);
    const { bytes, etag, code } = await stampPreview(this.deps.stamping, { viewer: actor, fileId: file.row.id, variant, mime, rendered, ifNoneMatch });
    const data = { ...what, roomIds: file.roomIds, label: file.row.label, ...(code ? { traceCode: code } : {}) };
    await this.deps.db.transaction().execute((trx) => recordAudit(trx, { actorId: actor.userId, action: 'file.viewed', target: { type: 'file', id: file.row.id }, data, ip: actor.ip }));
    return { mime, bytes, etag };
  }
}
