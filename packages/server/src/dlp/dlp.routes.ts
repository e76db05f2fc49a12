import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { DlpService } from './dlp.service';

export function registerDlpRoutes(app: FastifyInstance, dlp: DlpService, authenticate: Authenticate): void {
  registerEndpoint(app, 'listDlpRules', authenticate, async () => ({ rules: await dlp.list() }));
  registerEndpoint(app, 'createDlpRule', authenticate, async ({ actor, body }) => ({ rule: await dlp.create(actor, body) }));
  registerEndpoint(app, 'updateDlpRule', authenticate, async ({ actor, params, body }) => ({ rule: await dlp.update(actor, params.ruleId, body) }));
  registerEndpoint(app, 'deleteDlpRule', authenticate, async ({ actor, params }) => {
    await dlp.remove(actor, params.ruleId);
    return {};
  });
  registerEndpoint(app, 'testDlpDetector', authenticate, async ({ body }) => ({ matches: dlp.countMatches(body.detector, body.text) }));
}
