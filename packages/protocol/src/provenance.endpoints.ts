import { endpoint } from './endpoint';
import { CopyChainParams, CopyChainResponse } from './provenance';

/** Where content went: a compliance officer follows an item to its origin and every copy (audited). */
export const provenanceEndpoints = {
  copyChain: endpoint({ method: 'GET', path: '/api/v1/compliance/copy-chains/:kind/:id', access: 'compliance', summary: 'The origin of a message or file and every known copy of it (audited)', params: CopyChainParams, response: CopyChainResponse, status: 200 }),
} as const;
