import type { FastifyInstance } from 'fastify';
import { answerWithBytes, fileContentHeaders } from '../files/file-content-headers';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { RecordsSearchService } from './records-search.service';

export function registerRecordsSearchRoutes(app: FastifyInstance, records: RecordsSearchService, authenticate: Authenticate): void {
  registerEndpoint(app, 'searchRecords', authenticate, async ({ actor, body }) => records.search(actor, body));
  registerEndpoint(app, 'openRecord', authenticate, async ({ actor, params }) => ({ record: await records.open(actor, params.recordId) }));
  registerEndpoint(app, 'recordFileContent', authenticate, async ({ actor, params, query, request, reply }) => {
    const content = await records.openFile(actor, params.recordId, params.fileId, query.disposition);
    return answerWithBytes(request, reply, content, fileContentHeaders(content, query.disposition));
  });
}
