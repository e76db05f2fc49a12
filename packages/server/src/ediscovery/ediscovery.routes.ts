import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { EdiscoveryService } from './ediscovery.service';

export function registerEdiscoveryRoutes(app: FastifyInstance, ediscovery: EdiscoveryService, authenticate: Authenticate): void {
  registerEndpoint(app, 'createExport', authenticate, async ({ actor, body, reply }) => {
    const zip = await ediscovery.exportRecords(actor, body);
    void reply.type('application/zip');
    void reply.header('content-disposition', `attachment; filename="ediscovery-${new Date().toISOString().replace(/[:.]/g, '-')}.zip"`);
    return zip;
  });
}
