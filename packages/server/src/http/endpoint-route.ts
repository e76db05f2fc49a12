import type { Readable } from 'node:stream';
import { endpoints, type Endpoint, type EndpointName, type EndpointOutput, type Endpoints } from '@enclave/protocol';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import type { Actor } from '../auth/actor';
import { AppError } from './app-error';

type Parsed<E, K extends string> = E extends Record<K, z.ZodType> ? z.infer<E[K]> : undefined;
type ActorOf<E> = E extends { access: 'public' | 'optional' } ? Actor | undefined : Actor;

export interface EndpointContext<N extends EndpointName> {
  params: Parsed<Endpoints[N], 'params'>;
  query: Parsed<Endpoints[N], 'query'>;
  body: Parsed<Endpoints[N], 'body'>;
  actor: ActorOf<Endpoints[N]>;
  request: FastifyRequest;
  reply: FastifyReply;
}

export type Authenticate = (request: FastifyRequest) => Promise<Actor>;

type BinaryAnswer = Extract<Endpoint['produces'], 'image/png' | 'image/webp' | 'application/octet-stream'>;
/** What a handler answers: the response schema's type, or for binary answers also a stream (a file read from disk). */
export type HandlerAnswer<N extends EndpointName> = Endpoints[N] extends { produces: BinaryAnswer } ? EndpointOutput<N> | Readable : EndpointOutput<N>;

/**
 * Registers one endpoint of the protocol's table: parses params, query and body with its schemas, resolves the
 * actor for non-public endpoints (admins or compliance officers only where the table says so; for `optional` ones only
 * when the request is signed in), and answers with the table's status.
 * Routes therefore contain no validation or auth code of their own. A multipart endpoint (`consumes`) declares no
 * body, so nothing is parsed here: its handler reads the parts as they stream in, through http/multipart-upload.ts,
 * which validates them. A binary answer may be a stream, with a content type the handler sets (a file's own type)
 * instead of the table's `produces`.
 */
export function registerEndpoint<N extends EndpointName>(
  app: FastifyInstance,
  name: N,
  authenticate: Authenticate,
  handler: (context: EndpointContext<N>) => Promise<HandlerAnswer<N>>,
): void {
  const endpoint = endpoints[name] as Endpoints[EndpointName];
  app.route({
    method: endpoint.method,
    url: endpoint.path,
    handler: async (request, reply) => {
      const actor = endpoint.access === 'public' ? undefined : endpoint.access === 'optional' ? await authenticateIfSignedIn(authenticate, request) : await authenticate(request);
      if (endpoint.access === 'admin' && actor?.role !== 'admin') throw new AppError('ADMIN_REQUIRED');
      if (endpoint.access === 'compliance' && actor?.role !== 'compliance') throw new AppError('COMPLIANCE_REQUIRED');
      if (!('query' in endpoint)) nothing.parse(request.query ?? {});
      if (!('body' in endpoint) && !('consumes' in endpoint)) nothing.parse(request.body ?? {});
      const context = {
        params: 'params' in endpoint ? endpoint.params.parse(request.params) : undefined,
        query: 'query' in endpoint ? endpoint.query.parse(request.query) : undefined,
        body: 'body' in endpoint ? endpoint.body.parse(request.body ?? {}) : undefined,
        actor,
        request,
        reply,
      } as EndpointContext<N>;
      const result = await handler(context);
      // A handler may choose another success status (an idempotent create that found its record answers 200).
      if (reply.statusCode === 200) void reply.status(endpoint.status);
      if ('produces' in endpoint && !reply.hasHeader('content-type')) void reply.type(endpoint.produces as string);
      return reply.send(result);
    },
  });
}

/**
 * What an endpoint without a query or body schema accepts there: nothing, or an empty JSON object (the SDK sends
 * `{}` with every POST). Fields it would ignore are refused like unknown fields anywhere else.
 */
const nothing = z.strictObject({});

/** The actor of a signed-in request, or undefined for one without a valid session (a stale cookie counts as none). */
async function authenticateIfSignedIn(authenticate: Authenticate, request: FastifyRequest): Promise<Actor | undefined> {
  try {
    return await authenticate(request);
  } catch (error) {
    if (error instanceof AppError && error.code === 'UNAUTHENTICATED') return undefined;
    throw error;
  }
}
