import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import { readFileUpload } from '../http/multipart-upload';
import { contentDisposition } from './content-disposition';
import type { FilesService } from './files.service';

/**
 * Uploaded content is shown under a policy of its own: a sandbox (no script, no same-origin rights, even for a
 * file a browser might misread), nothing loaded from elsewhere, and framable only by our own pages, for previews.
 */
const contentPolicy = "sandbox; default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; frame-ancestors 'self'";
/** Only the person's own browser may keep a copy, and it asks again each time, so revoked access takes effect. */
const cacheControl = 'private, no-cache';

export function registerFilesRoutes(app: FastifyInstance, files: FilesService, authenticate: Authenticate): void {
  // Only the upload route parses multipart bodies; everywhere else one is refused as an unsupported media type.
  void app.register(async (uploads) => {
    await uploads.register(multipart);
    registerEndpoint(uploads, 'uploadFile', authenticate, async ({ actor, params, request }) => ({
      file: await files.upload(actor, params.roomId, await readFileUpload(request)),
    }));
  });
  registerEndpoint(app, 'getFile', authenticate, async ({ actor, params }) => ({ file: await files.getFile(actor, params.fileId) }));
  registerEndpoint(app, 'fileContent', authenticate, async ({ actor, params, query, reply }) => {
    const content = await files.openContent(actor, params.fileId, query.disposition);
    void reply.headers({
      // Sniffed text is known to be UTF-8; saying so keeps a browser from guessing another encoding.
      'content-type': content.mime.startsWith('text/') ? `${content.mime}; charset=utf-8` : content.mime,
      'content-length': String(content.size),
      'content-disposition': contentDisposition(query.disposition, content.name),
      'content-security-policy': contentPolicy,
      'x-frame-options': 'SAMEORIGIN',
      'cache-control': cacheControl,
    });
    return content.stream;
  });
  registerEndpoint(app, 'fileThumbnail', authenticate, async ({ actor, params, reply }) => {
    const thumbnail = await files.openThumbnail(actor, params.fileId);
    void reply.header('cache-control', cacheControl);
    return thumbnail;
  });
  registerEndpoint(app, 'listRoomFiles', authenticate, async ({ actor, params, query }) => files.listRoomFiles(actor, params.roomId, query));
}
