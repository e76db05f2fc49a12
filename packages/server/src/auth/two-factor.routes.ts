import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { TwoFactorService } from './two-factor.service';

export function registerTwoFactorRoutes(app: FastifyInstance, twoFactor: TwoFactorService, authenticate: Authenticate): void {
  registerEndpoint(app, 'enrolTwoFactor', authenticate, async ({ actor }) => twoFactor.enrol(actor));

  registerEndpoint(app, 'confirmTwoFactor', authenticate, async ({ actor, body }) => ({ recoveryCodes: await twoFactor.confirm(actor, body.code) }));

  registerEndpoint(app, 'disableTwoFactor', authenticate, async ({ actor, body }) => {
    await twoFactor.disable(actor, body.code);
    return {};
  });

  registerEndpoint(app, 'resetTwoFactor', authenticate, async ({ actor, params }) => {
    await twoFactor.reset(actor, params.userId);
    return {};
  });
}
