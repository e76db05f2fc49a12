import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { EmailNotificationsService } from './email-notifications.service';

export function registerEmailNotificationsRoutes(app: FastifyInstance, email: EmailNotificationsService, authenticate: Authenticate): void {
  registerEndpoint(app, 'getMyEmailNotifications', authenticate, async ({ actor }) => email.getMine(actor));

  registerEndpoint(app, 'updateMyEmailNotifications', authenticate, async ({ actor, body }) => email.updateMine(actor, body.enabled));

  registerEndpoint(app, 'getUserEmailAddress', authenticate, async ({ params }) => email.getAddress(params.userId));

  registerEndpoint(app, 'setUserEmailAddress', authenticate, async ({ actor, params, body }) => email.setAddress(actor, params.userId, body.address));

  registerEndpoint(app, 'getEmailNotificationsStatus', authenticate, async () => email.status());

  registerEndpoint(app, 'sendTestEmail', authenticate, async ({ actor }) => email.sendTest(actor));
}
