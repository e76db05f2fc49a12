import { endpoints, type EndpointName } from '@enclave/protocol';
import type { FastifyRequest } from 'fastify';

/**
 * What someone who must turn on two-factor sign-in may still do: see who they are, enrol, or leave. Changing the
 * password is open too, so a person held by both gates can pass the password gate first.
 */
const enrolmentEndpoints: EndpointName[] = ['me', 'logout', 'enrolTwoFactor', 'confirmTwoFactor', 'changeMyPassword'];
/** What someone who must choose a new password may still do: see who they are, change it, or leave. */
const passwordChangeEndpoints: EndpointName[] = ['me', 'logout', 'changeMyPassword'];

const routeKeys = (names: EndpointName[]) => new Set(names.map((name) => `${endpoints[name].method} ${endpoints[name].path}`));
const enrolmentRoutes = routeKeys(enrolmentEndpoints);
const passwordChangeRoutes = routeKeys(passwordChangeEndpoints);
const routeKey = (request: FastifyRequest) => `${request.method} ${request.routeOptions.url ?? ''}`;

/** True for the routes that stay open while an organisation-required enrolment is pending. */
export function isEnrolmentRoute(request: FastifyRequest): boolean {
  return enrolmentRoutes.has(routeKey(request));
}

/** True for the routes that stay open while a password change is required. */
export function isPasswordChangeRoute(request: FastifyRequest): boolean {
  return passwordChangeRoutes.has(routeKey(request));
}
