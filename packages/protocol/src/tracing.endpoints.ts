import { endpoint } from './endpoint';
import { IssueTraceMarkRequest, IssueTraceMarkResponse, ResolveTraceRequest, ResolveTraceResponse } from './tracing';

/** Leak tracing: codes issued to viewers of marked items, and the compliance officer's "Trace a leak" (audited). */
export const tracingEndpoints = {
  issueTraceMark: endpoint({ method: 'POST', path: '/api/v1/trace-marks', access: 'user', summary: "A trace code for the caller's view of a marked room, message or file", body: IssueTraceMarkRequest, response: IssueTraceMarkResponse, status: 200 }),
  resolveTrace: endpoint({ method: 'POST', path: '/api/v1/compliance/trace', access: 'compliance', summary: 'Who, what and when for every trace code in a typed code or pasted text (audited)', body: ResolveTraceRequest, response: ResolveTraceResponse, status: 200 }),
} as const;
