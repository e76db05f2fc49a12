import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { ScheduledService } from './scheduled.service';

export function registerScheduledRoutes(app: FastifyInstance, scheduled: ScheduledService, authenticate: Authenticate): void {
  registerEndpoint(app, 'scheduleMessage', authenticate, async ({ actor, params, body }) => ({ scheduled: await scheduled.schedule(actor, params.roomId, body) }));
  registerEndpoint(app, 'listScheduledMessages', authenticate, async ({ actor }) => ({ scheduled: await scheduled.list(actor) }));
  registerEndpoint(app, 'updateScheduledMessage', authenticate, async ({ actor, params, body }) => ({ scheduled: await scheduled.update(actor, params.scheduledId, body) }));
  registerEndpoint(app, 'cancelScheduledMessage', authenticate, async ({ actor, params }) => {
    await scheduled.cancel(actor, params.scheduledId);
    return {};
  });
}
