import { endpoint } from './endpoint';
import { HoldCreateRequest, HoldIdParams, HoldListRequest, HoldListResponse, HoldResponse, HoldUpdateRequest } from './holds';

/** Legal hold matters: the compliance officer's, each change audited. */
export const holdsEndpoints = {
  listHolds: endpoint({ method: 'GET', path: '/api/v1/compliance/holds', access: 'compliance', summary: 'Legal hold matters, newest first', query: HoldListRequest, response: HoldListResponse, status: 200 }),
  createHold: endpoint({ method: 'POST', path: '/api/v1/compliance/holds', access: 'compliance', summary: 'Place a legal hold on custodians and/or rooms for a date range', body: HoldCreateRequest, response: HoldResponse, status: 201 }),
  updateHold: endpoint({ method: 'PATCH', path: '/api/v1/compliance/holds/:holdId', access: 'compliance', summary: "Change a hold's name, description or coverage", params: HoldIdParams, body: HoldUpdateRequest, response: HoldResponse, status: 200 }),
  releaseHold: endpoint({ method: 'POST', path: '/api/v1/compliance/holds/:holdId/release', access: 'compliance', summary: 'Release a hold: what only it kept may be deleted and purged again', params: HoldIdParams, response: HoldResponse, status: 200 }),
} as const;
