import { adminRoomsEndpoints } from './admin-rooms.endpoints';
import { adminSettingsEndpoints } from './admin-settings.endpoints';
import { approvalsEndpoints } from './approvals.endpoints';
import { authEndpoints } from './auth.endpoints';
import { complianceEndpoints } from './compliance.endpoints';
import { holdsEndpoints } from './holds.endpoints';
import { retentionEndpoints } from './retention.endpoints';
import { dlpEndpoints } from './dlp.endpoints';
import { ediscoveryEndpoints } from './ediscovery.endpoints';
import { emailNotificationsEndpoints } from './email-notifications.endpoints';
import { filesEndpoints } from './files.endpoints';
import { invitesEndpoints } from './invites.endpoints';
import { labelsEndpoints } from './labels.endpoints';
import { departmentsEndpoints } from './departments.endpoints';
import { twoFactorEndpoints } from './two-factor.endpoints';
import { messagesEndpoints } from './messages.endpoints';
import { provenanceEndpoints } from './provenance.endpoints';
import { roomsEndpoints } from './rooms.endpoints';
import { recordsEndpoints } from './records.endpoints';
import { scheduledEndpoints } from './scheduled.endpoints';
import { searchEndpoints } from './search.endpoints';
import { tracingEndpoints } from './tracing.endpoints';
import { usersEndpoints } from './users.endpoints';
import { workHoursEndpoints } from './work-hours.endpoints';
import type { z } from 'zod';

export { endpoint, isBinaryAnswer, type Access, type Endpoint } from './endpoint';

/**
 * Every REST endpoint: the server registers these, the SDK calls them by name and the OpenAPI document is built
 * from them, so the three cannot disagree. Each feature declares its own in `<feature>.endpoints.ts`.
 */
export const endpoints = {
  ...authEndpoints,
  ...usersEndpoints,
  ...departmentsEndpoints,
  ...twoFactorEndpoints,
  ...adminSettingsEndpoints,
  ...roomsEndpoints,
  ...messagesEndpoints,
  ...scheduledEndpoints,
  ...adminRoomsEndpoints,
  ...labelsEndpoints,
  ...dlpEndpoints,
  ...invitesEndpoints,
  ...complianceEndpoints,
  ...ediscoveryEndpoints,
  ...holdsEndpoints,
  ...retentionEndpoints,
  ...provenanceEndpoints,
  ...recordsEndpoints,
  ...searchEndpoints,
  ...filesEndpoints,
  ...approvalsEndpoints,
  ...tracingEndpoints,
  ...workHoursEndpoints,
  ...emailNotificationsEndpoints,
} as const;

export type Endpoints = typeof endpoints;
export type EndpointName = keyof Endpoints;

type InputOf<S> = S extends z.ZodType ? z.input<S> : never;
type Part<E, K extends string> = E extends Record<K, z.ZodType>
  ? {} extends InputOf<E[K]>
    ? { [P in K]?: InputOf<E[K]> }
    : { [P in K]: InputOf<E[K]> }
  : { [P in K]?: never };
/** What a caller passes for an endpoint: only the parts it has, typed by the schemas. */
export type EndpointInput<N extends EndpointName> = Part<Endpoints[N], 'params'> & Part<Endpoints[N], 'query'> & Part<Endpoints[N], 'body'>;
export type EndpointOutput<N extends EndpointName> = z.infer<Endpoints[N]['response']>;
