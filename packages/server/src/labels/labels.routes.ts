import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { LabelsService } from './labels.service';

export function registerLabelsRoutes(app: FastifyInstance, labels: LabelsService, authenticate: Authenticate): void {
  registerEndpoint(app, 'listLabels', authenticate, async () => ({ labels: await labels.list() }));
  registerEndpoint(app, 'createLabel', authenticate, async ({ actor, body }) => ({ label: await labels.create(actor, body) }));
  registerEndpoint(app, 'updateLabel', authenticate, async ({ actor, params, body }) => ({ label: await labels.update(actor, params.labelId, body) }));
}
