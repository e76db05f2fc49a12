import { endpoints, type EndpointName } from '@enclave/protocol';
import type { FastifyRequest } from 'fastify';

/** What someone who must turn on two-factor sign-in may still do: see who they are, enrol, or leave. */
const enrolmentEndpoints: EndpointName[] = ['me', 'logout', 'enrolTwoFactor', 'confirmTwoFactor'];
const enrolmentRoutes = new Set(enrolmentEndpoints.map((name) => `${endpoints[name].method} ${endpoints[name].path}`));

/** True for the routes that stay open while an organisation-required enrolment is pending. */
export function isEnrolmentRoute(request: FastifyRequest): boolean {
  return enrolmentRoutes.has(`${request.method} ${request.routeOptions.url ?? ''}`);
}
