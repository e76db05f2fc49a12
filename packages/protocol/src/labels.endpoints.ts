import { endpoint } from './endpoint';
import { LabelCreateRequest, LabelIdParams, LabelListResponse, LabelResponse, LabelUpdateRequest } from './labels';

export const labelsEndpoints = {
  listLabels: endpoint({ method: 'GET', path: '/api/v1/labels', access: 'user', summary: 'The classification labels, lowest first', response: LabelListResponse, status: 200 }),
  createLabel: endpoint({ method: 'POST', path: '/api/v1/admin/labels', access: 'admin', summary: 'Add a classification label at a rank', body: LabelCreateRequest, response: LabelResponse, status: 201 }),
  updateLabel: endpoint({ method: 'PATCH', path: '/api/v1/admin/labels/:labelId', access: 'admin', summary: "Rename a label or change its colour", params: LabelIdParams, body: LabelUpdateRequest, response: LabelResponse, status: 200 }),
} as const;
