import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import { readFileUpload } from '../http/multipart-upload';
import { answerWithBytes, FILE_CACHE_CONTROL, fileContentHeaders } from './file-content-headers';
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
    const content = await files.openContent(actor, params.fileId, query.disposition);
    return answerWithBytes(request, reply, content, fileContentHeaders(content, query.disposition));
  });
  registerEndpoint(app, 'fileThumbnail', authenticate, async ({ actor, params, request, reply }) =>
    answerWithBytes(request, reply, await files.openThumbnail(actor, params.fileId), { 'cache-control': FILE_CACHE_CONTROL }),
  );
  registerEndpoint(app, 'listRoomFiles', authenticate, async ({ actor, params, query }) => files.listRoomFiles(actor, params.roomId, query));
}
