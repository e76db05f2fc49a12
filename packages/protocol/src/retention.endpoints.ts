import { endpoint } from './endpoint';
import { PurgeRunResponse, RetentionListResponse, RetentionPolicyResponse, RetentionRemoveRequest, RetentionSetRequest } from './retention';

/** Retention policies and the purge that applies them: the compliance officer's, each change audited. */
export const retentionEndpoints = {
  listRetention: endpoint({ method: 'GET', path: '/api/v1/compliance/retention', access: 'compliance', summary: 'The organisation default and the room and label retention policies', response: RetentionListResponse, status: 200 }),
  setRetention: endpoint({ method: 'PUT', path: '/api/v1/compliance/retention', access: 'compliance', summary: 'Set the retention policy of the organisation, a room or a label', body: RetentionSetRequest, response: RetentionPolicyResponse, status: 200 }),
  removeRetention: endpoint({ method: 'POST', path: '/api/v1/compliance/retention/remove', access: 'compliance', summary: 'Remove a retention policy', body: RetentionRemoveRequest, response: RetentionListResponse, status: 200 }),
  runPurge: endpoint({ method: 'POST', path: '/api/v1/compliance/retention/purge', access: 'compliance', summary: 'Purge expired messages now, instead of waiting for the interval', response: PurgeRunResponse, status: 200 }),
} as const;
