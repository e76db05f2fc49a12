import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { SettingsService } from './settings.service';

export function registerSettingsRoutes(app: FastifyInstance, settings: SettingsService, authenticate: Authenticate): void {
  registerEndpoint(app, 'getAdminSettings', authenticate, async () => ({ settings: await settings.getSettings() }));

  registerEndpoint(app, 'updateAdminSettings', authenticate, async ({ actor, body }) => ({ settings: await settings.updateSettings(actor, body) }));
}
