import type { z } from 'zod';

/** Who may call an endpoint: anyone, any signed-in user, or an admin. */
export type Access = 'public' | 'user' | 'admin';

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
  /** A non-JSON answer (an export file); the response schema is then the text of it. */
  produces?: 'application/x-ndjson' | 'text/html';
}

/** Declares one endpoint, keeping its literal types so callers and handlers are typed by its schemas. */
export function endpoint<const E extends Endpoint>(e: E): E {
  return e;
}
