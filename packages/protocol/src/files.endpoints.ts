import { Bytes } from './common';
import { endpoint } from './endpoint';
import { FileContentRequest, FileIdParams, FilePageParams, FileResponse, RoomFileParams, RoomFilesRequest, RoomFilesResponse } from './files';

export const filesEndpoints = {
  /**
   * multipart/form-data: an optional `label` field, then the file in field `file`. The file waits, visible only to
   * its uploader, until a message in the same room carries it (`fileIds`); unattached uploads are removed after a day.
   */
  uploadFile: endpoint({ method: 'POST', path: '/api/v1/rooms/:roomId/files', access: 'user', summary: 'Upload a file into a room (multipart, field `file`, optional `label`)', params: RoomFileParams, response: FileResponse, status: 201, consumes: 'multipart/form-data' }),
  getFile: endpoint({ method: 'GET', path: '/api/v1/files/:fileId', access: 'user', summary: "A file's details", params: FileIdParams, response: FileResponse, status: 200 }),
  fileContent: endpoint({ method: 'GET', path: '/api/v1/files/:fileId/content', access: 'user', summary: "A file's original bytes, inline or as a download (DOWNLOAD_NOT_ALLOWED either way when view-only)", params: FileIdParams, query: FileContentRequest, response: Bytes, status: 200, produces: 'application/octet-stream' }),
  fileThumbnail: endpoint({ method: 'GET', path: '/api/v1/files/:fileId/thumbnail', access: 'user', summary: "An image file's thumbnail (WebP, at most 320 px)", params: FileIdParams, response: Bytes, status: 200, produces: 'image/webp' }),
  /** A rendered copy, never the original bytes: what viewers of a view-only image are shown. */
  filePreview: endpoint({ method: 'GET', path: '/api/v1/files/:fileId/preview', access: 'user', summary: "An image file rendered for viewing (WebP, at most 1600 px, no metadata)", params: FileIdParams, response: Bytes, status: 200, produces: 'image/webp' }),
  filePage: endpoint({ method: 'GET', path: '/api/v1/files/:fileId/pages/:page', access: 'user', summary: 'One page of a PDF rendered as an image (PNG, at most 1600 px)', params: FilePageParams, response: Bytes, status: 200, produces: 'image/png' }),
  listRoomFiles: endpoint({ method: 'GET', path: '/api/v1/rooms/:roomId/files', access: 'user', summary: 'The files shared in a room, newest first', params: RoomFileParams, query: RoomFilesRequest, response: RoomFilesResponse, status: 200 }),
} as const;
