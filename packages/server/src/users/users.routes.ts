import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { UsersService } from './users.service';

export function registerUsersRoutes(app: FastifyInstance, users: UsersService, authenticate: Authenticate): void {
  registerEndpoint(app, 'createUser', authenticate, async ({ actor, body }) => ({ user: await users.createUser(actor, body) }));

  registerEndpoint(app, 'listUsers', authenticate, async ({ actor, query }) => users.listUsers(actor, query));

  registerEndpoint(app, 'getUser', authenticate, async ({ actor, params }) => ({ user: await users.getUserFor(actor, params.userId) }));

  registerEndpoint(app, 'updateUser', authenticate, async ({ actor, params, body }) => ({ user: await users.updateUser(actor, params.userId, body) }));

  registerEndpoint(app, 'resetPassword', authenticate, async ({ actor, params, body }) => {
    await users.resetPassword(actor, params.userId, body.password);
    return {};
  });

  registerEndpoint(app, 'updateMyProfile', authenticate, async ({ actor, body }) => ({ user: await users.updateProfile(actor, body) }));

  registerEndpoint(app, 'disableUser', authenticate, async ({ actor, params }) => ({ user: await users.disableUser(actor, params.userId) }));

  registerEndpoint(app, 'enableUser', authenticate, async ({ actor, params }) => ({ user: await users.enableUser(actor, params.userId) }));
}
