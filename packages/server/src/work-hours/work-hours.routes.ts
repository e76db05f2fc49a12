import type { FastifyInstance } from 'fastify';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { AfterHoursReportService } from './after-hours-report.service';
import type { WorkHoursService } from './work-hours.service';

export function registerWorkHoursRoutes(app: FastifyInstance, workHours: WorkHoursService, reports: AfterHoursReportService, authenticate: Authenticate): void {
  registerEndpoint(app, 'getWorkHoursPolicy', authenticate, async () => ({ policy: await workHours.getPolicy() }));
  registerEndpoint(app, 'setWorkHoursPolicy', authenticate, async ({ actor, body }) => ({ policy: await workHours.setPolicy(actor, body) }));
  registerEndpoint(app, 'listHolidays', authenticate, async ({ query }) => ({ holidays: await workHours.listHolidays(query.year) }));
  registerEndpoint(app, 'addHolidays', authenticate, async ({ actor, body }) => workHours.addHolidays(actor, body));
  registerEndpoint(app, 'removeHoliday', authenticate, async ({ actor, params }) => ({ holidays: await workHours.removeHoliday(actor, params.date) }));
  registerEndpoint(app, 'getMyWorkHours', authenticate, async ({ actor }) => workHours.getMine(actor));
  registerEndpoint(app, 'setMyWorkHours', authenticate, async ({ actor, body }) => workHours.setMine(actor, body));
  registerEndpoint(app, 'claimOffWorkSummary', authenticate, async ({ actor }) => ({ summary: await workHours.claimOffWorkSummary(actor) }));
  registerEndpoint(app, 'getAfterHoursReport', authenticate, async ({ actor, query }) => ({ report: await reports.report(actor, query) }));
  registerEndpoint(app, 'getRoomAvailability', authenticate, async ({ actor, params }) => ({ people: await workHours.roomAvailability(actor, params.roomId) }));
}
