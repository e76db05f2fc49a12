import { Bytes } from './common';
import { endpoint } from './endpoint';
import { FileContentRequest } from './files';
import { RecordFileParams, RecordIdParams, RecordResponse, RecordsSearchRequest, RecordsSearchResponse } from './records';

/** Compliance search across every room. Every search, every opened record and every opened file is audited. */
export const recordsEndpoints = {
  searchRecords: endpoint({ method: 'POST', path: '/api/v1/compliance/records/search', access: 'compliance', summary: 'Search every room, with earlier versions, deleted, recalled and held items, newest first', body: RecordsSearchRequest, response: RecordsSearchResponse, status: 200 }),
  openRecord: endpoint({ method: 'GET', path: '/api/v1/compliance/records/:recordId', access: 'compliance', summary: 'One record in full: its texts, versions, thread, reactions and files (audited)', params: RecordIdParams, response: RecordResponse, status: 200 }),
  recordFileContent: endpoint({ method: 'GET', path: '/api/v1/compliance/records/:recordId/files/:fileId/content', access: 'compliance', summary: "A record's file (audited)", params: RecordFileParams, query: FileContentRequest, response: Bytes, status: 200, produces: 'application/octet-stream' }),
} as const;
