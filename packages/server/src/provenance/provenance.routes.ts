import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { ProvenanceService } from './provenance.service';

export function registerProvenanceRoutes(app: FastifyInstance, provenance: ProvenanceService, authenticate: Authenticate): void {
  registerEndpoint(app, 'copyChain', authenticate, async ({ actor, params }) => provenance.copyChain(actor, params.kind, params.id));
}
