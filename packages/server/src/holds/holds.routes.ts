import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { HoldsService } from './holds.service';

export function registerHoldsRoutes(app: FastifyInstance, holds: HoldsService, authenticate: Authenticate): void {
  registerEndpoint(app, 'listHolds', authenticate, async ({ query }) => ({ holds: await holds.list(query.includeReleased) }));
  registerEndpoint(app, 'createHold', authenticate, async ({ actor, body }) => ({ hold: await holds.create(actor, body) }));
  registerEndpoint(app, 'updateHold', authenticate, async ({ actor, params, body }) => ({ hold: await holds.update(actor, params.holdId, body) }));
  registerEndpoint(app, 'releaseHold', authenticate, async ({ actor, params }) => ({ hold: await holds.release(actor, params.holdId) }));
}
