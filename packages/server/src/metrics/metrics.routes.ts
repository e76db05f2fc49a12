import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { AppError } from '../http/app-error';
import type { ServerMetrics } from './server-metrics';

/** Where Prometheus scrapes; outside `/api/v1` because it is an operator's endpoint in Prometheus's text format. */
export const METRICS_PATH = '/metrics';

/**
 * Times every HTTP request by its route's pattern (`/api/v1/rooms/:roomId`), never its URL, so ids and codes in
 * paths neither reach the metrics nor multiply their series; a request no route took is `unmatched`.
 */
export function installRequestMetrics(app: FastifyInstance, metrics: ServerMetrics): void {
  app.addHook('onResponse', async (request, reply) => {
    metrics.observeRequest(request.method, request.routeOptions.url ?? 'unmatched', reply.statusCode, reply.elapsedTime / 1000);
  });
}

/**
 * `GET /metrics` in Prometheus's text format. With a token, only a scraper that sends it as a Bearer token is
 * answered; the comparison takes the same time whatever the guess, and the header is redacted from the log.
 */
export function registerMetricsRoutes(app: FastifyInstance, metrics: ServerMetrics, token: string | undefined): void {
  const expected = token === undefined ? undefined : digest(token);
  app.get(METRICS_PATH, async (request, reply) => {
    if (expected && !presentsToken(request.headers.authorization, expected)) throw new AppError('UNAUTHENTICATED');
    return reply.header('content-type', metrics.registry.contentType).send(await metrics.registry.metrics());
  });
}

/** Digests of equal length, so timingSafeEqual can compare a guess of any length without telling its length. */
function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

function presentsToken(authorization: string | undefined, expected: Buffer): boolean {
  if (!authorization?.startsWith('Bearer ')) return false;
  return timingSafeEqual(digest(authorization.slice(7).trim()), expected);
}
