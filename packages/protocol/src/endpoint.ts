import type { z } from 'zod';
import { strictInput } from './strict-input';

/**
 * Who may call an endpoint: anyone, any signed-in user, an admin, or a compliance officer. `optional` is open to
 * anyone but knows the caller when they are signed in (following an invite).
 */
export type Access = 'public' | 'optional' | 'user' | 'admin' | 'compliance';

export interface Endpoint {
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';
  /** Fastify-style path with `:param` segments. */
  path: string;
  access: Access;
  summary: string;
  params?: z.ZodType;
  query?: z.ZodType;
  body?: z.ZodType;
  response: z.ZodType;
  status: number;
  /**
   * A non-JSON answer (an export file, an image, a file's content); the response schema is then its text, or its
   * bytes for the binary types (see isBinaryAnswer).
   */
  produces?: 'application/x-ndjson' | 'text/csv' | 'text/html' | 'image/svg+xml' | 'image/png' | 'image/webp' | 'application/octet-stream';
  /** A multipart upload: the handler reads the request's parts itself, so there is no `body` schema. */
  consumes?: 'multipart/form-data';
}

/**
 * Declares one endpoint, keeping its literal types so callers and handlers are typed by its schemas. Its params,
 * query and body refuse fields they do not declare (see strict-input.ts), so every endpoint follows one rule.
 */
export function endpoint<const E extends Endpoint>(e: E): E {
  return {
    ...e,
    ...(e.params ? { params: strictInput(e.params) } : {}),
    ...(e.query ? { query: strictInput(e.query) } : {}),
    ...(e.body ? { body: strictInput(e.body) } : {}),
  };
}

/** Whether an endpoint answers with bytes rather than text (a client reads these as a Uint8Array). */
export function isBinaryAnswer(produces: Endpoint['produces']): boolean {
  return produces === 'image/png' || produces === 'image/webp' || produces === 'application/octet-stream';
}
