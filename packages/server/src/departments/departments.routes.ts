import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { DepartmentsService } from './departments.service';

export function registerDepartmentsRoutes(app: FastifyInstance, departments: DepartmentsService, authenticate: Authenticate): void {
  registerEndpoint(app, 'listDepartments', authenticate, async ({ actor }) => ({ departments: await departments.listDepartments(actor) }));

  registerEndpoint(app, 'createDepartment', authenticate, async ({ actor, body }) => ({ department: await departments.createDepartment(actor, body) }));

  registerEndpoint(app, 'updateDepartment', authenticate, async ({ actor, params, body }) => ({
    department: await departments.updateDepartment(actor, params.departmentId, body),
  }));

  registerEndpoint(app, 'deleteDepartment', authenticate, async ({ actor, params }) => {
    await departments.deleteDepartment(actor, params.departmentId);
    return {};
  });

  registerEndpoint(app, 'setUserDepartments', authenticate, async ({ actor, params, body }) => ({
    user: await departments.setUserDepartments(actor, params.userId, body.departmentIds),
  }));
}
