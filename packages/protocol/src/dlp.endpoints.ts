import { Empty } from './auth';
import { DlpRuleCreateRequest, DlpRuleIdParams, DlpRuleListResponse, DlpRuleResponse, DlpRuleUpdateRequest, DlpTestRequest, DlpTestResponse } from './dlp';
import { endpoint } from './endpoint';

export const dlpEndpoints = {
  listDlpRules: endpoint({ method: 'GET', path: '/api/v1/admin/dlp/rules', access: 'admin', summary: 'Data-loss-prevention rules', response: DlpRuleListResponse, status: 200 }),
  createDlpRule: endpoint({ method: 'POST', path: '/api/v1/admin/dlp/rules', access: 'admin', summary: 'Add a DLP rule: detector, scope and action', body: DlpRuleCreateRequest, response: DlpRuleResponse, status: 201 }),
  updateDlpRule: endpoint({ method: 'PATCH', path: '/api/v1/admin/dlp/rules/:ruleId', access: 'admin', summary: 'Change or switch off a DLP rule', params: DlpRuleIdParams, body: DlpRuleUpdateRequest, response: DlpRuleResponse, status: 200 }),
  deleteDlpRule: endpoint({ method: 'DELETE', path: '/api/v1/admin/dlp/rules/:ruleId', access: 'admin', summary: 'Remove a DLP rule', params: DlpRuleIdParams, response: Empty, status: 200 }),
  testDlpDetector: endpoint({ method: 'POST', path: '/api/v1/admin/dlp/test', access: 'admin', summary: 'Count what a detector finds in sample text', body: DlpTestRequest, response: DlpTestResponse, status: 200 }),
} as const;
