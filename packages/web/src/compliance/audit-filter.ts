import type { AuditQuery } from '@enclave/protocol';
import { dayAfter, startOfDay } from '../search/day-bounds';

/** What the officer narrowed the audit log to, as the form holds it: days are yyyy-mm-dd as the reader sees them. */
export interface AuditFilter {
  actorId: string;
  action: string;
  roomId: string;
  fromDay: string;
  toDay: string;
}

export const NO_AUDIT_FILTER: AuditFilter = { actorId: '', action: '', roomId: '', fromDay: '', toDay: '' };

/** The filter as the server takes it: empty parts left out, days turned into instants in the reader's zone. */
export function auditQueryOf(filter: AuditFilter, timeZone: string | undefined): AuditQuery {
  return {
    ...(filter.actorId ? { actorId: filter.actorId } : {}),
    ...(filter.action ? { action: filter.action } : {}),
    ...(filter.roomId ? { roomId: filter.roomId } : {}),
    ...(filter.fromDay ? { from: startOfDay(filter.fromDay, timeZone).toISOString() } : {}),
    // The "until" day is included: the bound is the start of the day after it.
    ...(filter.toDay ? { to: startOfDay(dayAfter(filter.toDay), timeZone).toISOString() } : {}),
  };
}
