import { z } from 'zod';
import { endpoints, type Endpoint } from './endpoints';
import { ErrorResponse } from './errors';

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

function operation(name: string, e: Endpoint) {
  return {
    operationId: name,
    summary: e.summary,
    // An empty requirement makes credentials optional.
    security: e.access === 'public' ? [] : [...(e.access === 'optional' ? [{}] : []), { bearer: [] }, { cookie: [] }],
    parameters: [...parameters(e.params, 'path'), ...parameters(e.query, 'query')],
    ...(e.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(e.body, 'input') } } } } : {}),
    // A multipart endpoint's parts are read as they stream in; its summary names them.
    ...(e.consumes ? { requestBody: { required: true, content: { [e.consumes]: { schema: { type: 'object' } } } } } : {}),
    responses: {
      [e.status]: { description: 'Success', content: { [e.produces ?? 'application/json']: { schema: jsonSchema(e.response, 'output') } } },
      default: { description: 'An error with a stable code', content: { 'application/json': { schema: { $ref: '#/components/schemas/ErrorResponse' } } } },
    },
  };
}

/** The OpenAPI 3.1 document, built from the endpoint table so it cannot drift from what the server accepts. */
export function buildOpenApiDocument(version: string) {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [name, e] of Object.entries(endpoints) as [string, Endpoint][]) {
    const path = e.path.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][e.method.toLowerCase()] = operation(name, e);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Enclave API', version, description: 'REST API of Enclave. The real-time stream is a WebSocket at /api/v1/stream.' },
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
