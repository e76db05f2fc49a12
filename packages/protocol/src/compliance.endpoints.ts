import { z } from 'zod';
import { Bytes } from './common';
import { AuditCheckpointListRequest, AuditCheckpointListResponse, AuditExportRequest, AuditListRequest, AuditListResponse, HeldFileParams, ReviewDecisionRequest, ReviewIdParams, ReviewListRequest, ReviewListResponse, ReviewResponse } from './compliance';
import { endpoint } from './endpoint';
import { FileContentRequest } from './files';

/** The compliance officer's desk: held messages and the audit log. Every call here is itself audited. */
export const complianceEndpoints = {
  listReviews: endpoint({ method: 'GET', path: '/api/v1/compliance/reviews', access: 'compliance', summary: 'Messages held by DLP review rules, oldest first', query: ReviewListRequest, response: ReviewListResponse, status: 200 }),
  releaseReview: endpoint({ method: 'POST', path: '/api/v1/compliance/reviews/:reviewId/release', access: 'compliance', summary: 'Deliver a held message', params: ReviewIdParams, body: ReviewDecisionRequest, response: ReviewResponse, status: 200 }),
  rejectReview: endpoint({ method: 'POST', path: '/api/v1/compliance/reviews/:reviewId/reject', access: 'compliance', summary: 'Refuse a held message; its sender is told', params: ReviewIdParams, body: ReviewDecisionRequest, response: ReviewResponse, status: 200 }),
  heldFileContent: endpoint({ method: 'GET', path: '/api/v1/compliance/reviews/:reviewId/files/:fileId/content', access: 'compliance', summary: "A held message's file, for the officer deciding on it (audited)", params: HeldFileParams, query: FileContentRequest, response: Bytes, status: 200, produces: 'application/octet-stream' }),
  listAudit: endpoint({ method: 'GET', path: '/api/v1/compliance/audit', access: 'compliance', summary: 'The audit log, newest first, filtered, with names and a chain check', query: AuditListRequest, response: AuditListResponse, status: 200 }),
  exportAudit: endpoint({ method: 'GET', path: '/api/v1/compliance/audit/export', access: 'compliance', summary: 'The audit log as CSV, filtered like the list, newest first (audited)', query: AuditExportRequest, response: z.string(), status: 200, produces: 'text/csv' }),
  listAuditCheckpoints: endpoint({ method: 'GET', path: '/api/v1/compliance/audit/checkpoints', access: 'compliance', summary: "The latest signed audit checkpoints and the audit key's public half", query: AuditCheckpointListRequest, response: AuditCheckpointListResponse, status: 200 }),
  auditCheckpointsFile: endpoint({ method: 'GET', path: '/api/v1/compliance/audit/checkpoints.jsonl', access: 'compliance', summary: 'The checkpoints file kept outside the database, one signed checkpoint per line', response: z.string(), status: 200, produces: 'application/x-ndjson' }),
} as const;
