import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { RetentionService } from './retention.service';

export function registerRetentionRoutes(app: FastifyInstance, retention: RetentionService, authenticate: Authenticate): void {
  registerEndpoint(app, 'listRetention', authenticate, async () => ({ policies: await retention.list() }));
  registerEndpoint(app, 'setRetention', authenticate, async ({ actor, body }) => ({ policy: await retention.set(actor, body) }));
  registerEndpoint(app, 'removeRetention', authenticate, async ({ actor, body }) => ({ policies: await retention.remove(actor, body) }));
  registerEndpoint(app, 'runPurge', authenticate, async ({ actor }) => retention.purgeNow(actor));
}
