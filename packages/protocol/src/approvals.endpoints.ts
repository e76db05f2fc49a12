import { ApprovalIdParams, ApprovalListRequest, ApprovalListResponse, ApprovalResponse, SecurityLogResponse } from './approvals';
import { endpoint } from './endpoint';

/** Separation of duties: requests waiting for a second person, and a person's own security log. */
export const approvalsEndpoints = {
  listApprovals: endpoint({ method: 'GET', path: '/api/v1/approvals', access: 'user', summary: 'Requests I made or may decide (admins: all), by status', query: ApprovalListRequest, response: ApprovalListResponse, status: 200 }),
  approveApproval: endpoint({ method: 'POST', path: '/api/v1/approvals/:approvalId/approve', access: 'user', summary: "Approve someone else's request; the change takes effect now", params: ApprovalIdParams, response: ApprovalResponse, status: 200 }),
  rejectApproval: endpoint({ method: 'POST', path: '/api/v1/approvals/:approvalId/reject', access: 'user', summary: "Reject someone else's request", params: ApprovalIdParams, response: ApprovalResponse, status: 200 }),
  cancelApproval: endpoint({ method: 'POST', path: '/api/v1/approvals/:approvalId/cancel', access: 'user', summary: 'Withdraw my own pending request', params: ApprovalIdParams, response: ApprovalResponse, status: 200 }),
  mySecurityLog: endpoint({ method: 'GET', path: '/api/v1/me/security-log', access: 'user', summary: 'What happened to my account: sign-ins, password resets by an admin, sessions ended, role changes', response: SecurityLogResponse, status: 200 }),
} as const;
