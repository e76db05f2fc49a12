import { Bytes } from './common';
import { ExportRequest } from './ediscovery';
import { endpoint } from './endpoint';

/** eDiscovery: the records a compliance officer names, as one signed zip. Every export is audited. */
export const ediscoveryEndpoints = {
  createExport: endpoint({ method: 'POST', path: '/api/v1/compliance/exports', access: 'compliance', summary: 'Export records as one zip (JSON Lines, EML, CSV, HTML, files) with a signed manifest', body: ExportRequest, response: Bytes, status: 200, produces: 'application/octet-stream' }),
} as const;
