import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { SearchService } from './search.service';

export function registerSearchRoutes(app: FastifyInstance, search: SearchService, authenticate: Authenticate): void {
  registerEndpoint(app, 'search', authenticate, async ({ actor, query }) => search.search(actor, query));
}
