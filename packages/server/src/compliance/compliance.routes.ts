import type { FastifyInstance } from 'fastify';
import { answerWithBytes, fileContentHeaders } from '../files/file-content-headers';
import { registerEndpoint, type Authenticate } from '../http/endpoint-route';
import type { AuditLogService } from './audit-log.service';
import type { ComplianceService } from './compliance.service';

export function registerComplianceRoutes(app: FastifyInstance, compliance: ComplianceService, auditLog: AuditLogService, authenticate: Authenticate): void {
  registerEndpoint(app, 'listReviews', authenticate, async ({ actor, query }) => compliance.listReviews(actor, query));
  registerEndpoint(app, 'releaseReview', authenticate, async ({ actor, params, body }) => ({ review: await compliance.release(actor, params.reviewId, body.note) }));
  registerEndpoint(app, 'rejectReview', authenticate, async ({ actor, params, body }) => ({ review: await compliance.reject(actor, params.reviewId, body.note) }));
  registerEndpoint(app, 'heldFileContent', authenticate, async ({ actor, params, query, request, reply }) => {
    const content = await compliance.openHeldFile(actor, params.reviewId, params.fileId, query.disposition);
    return answerWithBytes(request, reply, content, fileContentHeaders(content, query.disposition));
  });
  registerEndpoint(app, 'listAudit', authenticate, async ({ actor, query }) => auditLog.list(actor, query));
  registerEndpoint(app, 'exportAudit', authenticate, async ({ actor, query, reply }) => {
    void reply.type('text/csv; charset=utf-8').header('content-disposition', 'attachment; filename="audit-log.csv"');
    return auditLog.exportCsv(actor, query);
  });
  registerEndpoint(app, 'listAuditCheckpoints', authenticate, async ({ actor, query }) => auditLog.listCheckpoints(actor, query.limit));
  registerEndpoint(app, 'auditCheckpointsFile', authenticate, async ({ actor, reply }) => {
    void reply.header('content-disposition', 'attachment; filename="audit-checkpoints.jsonl"');
    return auditLog.checkpointsFile(actor);
  });
}
