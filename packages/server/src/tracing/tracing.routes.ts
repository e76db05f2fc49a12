import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { TracingService } from './tracing.service';

export function registerTracingRoutes(app: FastifyInstance, tracing: TracingService, authenticate: Authenticate): void {
  registerEndpoint(app, 'issueTraceMark', authenticate, async ({ actor, body }) => ({ mark: (await tracing.issueMark(actor, body.kind, body.itemId)) ?? null }));
  registerEndpoint(app, 'resolveTrace', authenticate, async ({ actor, body }) => ({ results: await tracing.resolve(actor, body.text) }));
}
