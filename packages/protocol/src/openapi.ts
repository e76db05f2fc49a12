import { z } from 'zod';
import { endpoints, type Endpoint } from './endpoints';
import { ErrorResponse, httpStatusOf, type ErrorCode } from './errors';

/** What a missing thing named by each path parameter is answered with. */
const notFoundByParam: Record<string, ErrorCode> = {
  approvalId: 'APPROVAL_NOT_FOUND',
  code: 'INVITE_NOT_FOUND',
  departmentId: 'DEPARTMENT_NOT_FOUND',
  fileId: 'FILE_NOT_FOUND',
  holdId: 'HOLD_NOT_FOUND',
  inviteId: 'INVITE_NOT_FOUND',
  labelId: 'LABEL_NOT_FOUND',
  messageId: 'MESSAGE_NOT_FOUND',
  page: 'PAGE_NOT_FOUND',
  recordId: 'RECORD_NOT_FOUND',
  requestId: 'INVITE_REQUEST_NOT_FOUND',
  reviewId: 'REVIEW_NOT_FOUND',
  roomId: 'ROOM_NOT_FOUND',
  ruleId: 'DLP_RULE_NOT_FOUND',
  scheduledId: 'SCHEDULED_MESSAGE_NOT_FOUND',
  sessionId: 'SESSION_NOT_FOUND',
  userId: 'USER_NOT_FOUND',
};

/**
 * The errors every endpoint of its kind can answer, read from its entry in the endpoint table: its input can fail
 * validation, a caller who must be signed in may not be, one who must hold a role may not hold it, and a thing its
 * path names may not exist (or not be visible to the caller, which answers the same). Feature-specific refusals
 * (DLP, the send guard, clearance) are answered with codes of their own, listed in the error table
 * (`errorCodes`) and docs/api.md.
 */
function errorsOf(e: Endpoint): ErrorCode[] {
  const codes: ErrorCode[] = [];
  if (e.params || e.query || e.body) codes.push('VALIDATION_FAILED');
  if (e.body) codes.push('MALFORMED_JSON', 'BODY_TOO_LARGE');
  if (e.access !== 'public' && e.access !== 'optional') codes.push('UNAUTHENTICATED', 'PASSWORD_CHANGE_REQUIRED');
  if (e.access === 'admin') codes.push('ADMIN_REQUIRED');
  if (e.access === 'compliance') codes.push('COMPLIANCE_REQUIRED');
  for (const name of e.path.match(/:(\w+)/g) ?? []) {
    const code = notFoundByParam[name.slice(1)];
    if (code && !codes.includes(code)) codes.push(code);
  }
  return codes;
}

/** One response per HTTP status the endpoint's errors use, naming the codes it carries. */
function errorResponses(e: Endpoint): Record<string, unknown> {
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorsOf(e)) byStatus.set(httpStatusOf(code), [...(byStatus.get(httpStatusOf(code)) ?? []), code]);
  const responses: Record<string, unknown> = {};
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: codes.join(', '),
      content: { 'application/json': { schema: { allOf: [{ $ref: '#/components/schemas/ErrorResponse' }, { type: 'object', properties: { error: { type: 'object', properties: { code: { enum: codes } } } } }] } } },
    };
  }
  return responses;
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(schema: z.ZodType | undefined, location: 'path' | 'query') {
  if (!schema) return [];
  const described = jsonSchema(schema, 'input') as { properties?: Record<string, unknown>; required?: string[] };
  return Object.entries(described.properties ?? {}).map(([name, property]) => ({
    name,
    in: location,
    required: location === 'path' || (described.required ?? []).includes(name),
    schema: property,
  }));
}

function operation(name: string, e: Endpoint, pathNames: Map<string, string>) {
  return {
    operationId: name,
    summary: e.summary,
    // An empty requirement makes credentials optional.
    security: e.access === 'public' ? [] : [...(e.access === 'optional' ? [{}] : []), { bearer: [] }, { cookie: [] }],
    parameters: [...parameters(e.params, 'path').map((parameter) => ({ ...parameter, name: pathNames.get(parameter.name) ?? parameter.name })), ...parameters(e.query, 'query')],
    ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(e.body, 'input') } } } } : {}),
    // A multipart endpoint's parts are read as they stream in; its summary names them.
    ...(e.consumes ? { requestBody: { required: true, content: { [e.consumes]: { schema: { type: 'object' } } } } } : {}),
    responses: {
      [e.status]: { description: 'Success', content: { [e.produces ?? 'application/json']: { schema: jsonSchema(e.response, 'output') } } },
      ...errorResponses(e),
      default: { description: 'Any other error with a stable code (the error table in docs/api.md)', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } },
    },
  };
}

/**
 * The path's template in the document. Two endpoints on one path whose parameter is named differently (an invite's
 * id to revoke it, its code to preview it) share one template there, whose parameter is named for both: a name is
 * not part of the URL, and OpenAPI allows a path only once.
 */
function templates(all: readonly Endpoint[]): Map<Endpoint, { path: string; names: Map<string, string> }> {
  const shape = (path: string) => path.replace(/:\w+/g, ':');
  const namesAt = new Map<string, string[][]>();
  for (const e of all) namesAt.set(shape(e.path), [...(namesAt.get(shape(e.path)) ?? []), (e.path.match(/:(\w+)/g) ?? []).map((name) => name.slice(1))]);
  const result = new Map<Endpoint, { path: string; names: Map<string, string> }>();
  for (const e of all) {
    const lists = namesAt.get(shape(e.path))!;
    const own = (e.path.match(/:(\w+)/g) ?? []).map((name) => name.slice(1));
    const shared = own.map((_, index) => [...new Set(lists.map((names) => names[index]!))].map((name, at) => (at === 0 ? name : name[0]!.toUpperCase() + name.slice(1))).join('Or'));
    let segment = 0;
    result.set(e, { path: e.path.replace(/:\w+/g, () => `{${shared[segment++]}}`), names: new Map(own.map((name, index) => [name, shared[index]!])) });
  }
  return result;
}

/** The OpenAPI 3.1 document, built from the endpoint table so it cannot drift from what the server accepts. */
export function buildOpenApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  const all = Object.entries(endpoints) as [string, Endpoint][];
  const templated = templates(all.map(([, e]) => e));
  for (const [name, e] of all) {
    const { path, names } = templated.get(e)!;
    paths[path] ??= {};
    paths[path][e.method.toLowerCase()] = operation(name, e, names);
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Enclave API',
      version,
      description: 'REST API of Enclave. The real-time stream is a WebSocket at /api/v1/stream.',
      license: { name: 'Proprietary: licensed to the organisation running this installation', identifier: 'LicenseRef-Enclave' },
    },
    // The document is served by each installation for itself: its paths are relative to where it was fetched.
    servers: [{ url: '/', description: 'This installation' }],
    paths,
    components: {
      schemas: { ErrorResponse: jsonSchema(ErrorResponse, 'output') },
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'enclave_session' },
      },
    },
  };
}
