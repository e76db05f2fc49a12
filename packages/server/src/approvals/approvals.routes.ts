import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { ApprovalsService } from './approvals.service';
import type { SecurityLogService } from './security-log.service';

export function registerApprovalsRoutes(app: FastifyInstance, services: { approvals: ApprovalsService; securityLog: SecurityLogService }, authenticate: Authenticate): void {
  const { approvals, securityLog } = services;
  registerEndpoint(app, 'listApprovals', authenticate, async ({ actor, query }) => ({ approvals: await approvals.list(actor, query.status) }));
  registerEndpoint(app, 'approveApproval', authenticate, async ({ actor, params }) => ({ approval: await approvals.approve(actor, params.approvalId) }));
  registerEndpoint(app, 'rejectApproval', authenticate, async ({ actor, params }) => ({ approval: await approvals.reject(actor, params.approvalId) }));
  registerEndpoint(app, 'cancelApproval', authenticate, async ({ actor, params }) => ({ approval: await approvals.cancel(actor, params.approvalId) }));
  registerEndpoint(app, 'mySecurityLog', authenticate, async ({ actor }) => ({ events: await securityLog.list(actor) }));
}
