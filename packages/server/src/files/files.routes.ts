import multipart from '@fastify/multipart';
import { Readable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import { readFileUpload } from '../http/multipart-upload';
import { answerWithBytes, FILE_CACHE_CONTROL, fileContentHeaders, renderedViewHeaders } from './file-content-headers';
import type { RenderedView } from './file-views';
import type { FilesService } from './files.service';

export function registerFilesRoutes(app: FastifyInstance, files: FilesService, authenticate: Authenticate): void {
  // Only the upload route parses multipart bodies; everywhere else one is refused as an unsupported media type.
  void app.register(async (uploads) => {
    await uploads.register(multipart);
    registerEndpoint(uploads, 'uploadFile', authenticate, async ({ actor, params, request }) => ({
      file: await files.upload(actor, params.roomId, await readFileUpload(request)),
    }));
  });
  registerEndpoint(app, 'getFile', authenticate, async ({ actor, params }) => ({ file: await files.getFile(actor, params.fileId) }));
  registerEndpoint(app, 'fileContent', authenticate, async ({ actor, params, query, request, reply }) => {
    const content = await files.openContent(actor, params.fileId, query.disposition, request.headers['if-none-match']);
    return answerWithBytes(request, reply, content, fileContentHeaders(content, query.disposition));
  });
  registerEndpoint(app, 'fileThumbnail', authenticate, async ({ actor, params, request, reply }) =>
    answerWithBytes(request, reply, await files.openThumbnail(actor, params.fileId, request.headers['if-none-match']), { 'cache-control': FILE_CACHE_CONTROL }),
  );
  registerEndpoint(app, 'filePreview', authenticate, async ({ actor, params, request, reply }) => answerWithView(request, reply, await files.views.imagePreview(actor, params.fileId, request.headers['if-none-match'])));
  registerEndpoint(app, 'filePage', authenticate, async ({ actor, params, request, reply }) => answerWithView(request, reply, await files.views.pdfPage(actor, params.fileId, params.page, request.headers['if-none-match'])));
  registerEndpoint(app, 'listRoomFiles', authenticate, async ({ actor, params, query }) => files.listRoomFiles(actor, params.roomId, query));
}

function answerWithView(request: Parameters<typeof answerWithBytes>[0], reply: Parameters<typeof answerWithBytes>[1], view: RenderedView) {
  return answerWithBytes(request, reply, { etag: view.etag, stream: Readable.from([view.bytes]) }, renderedViewHeaders(view));
}
