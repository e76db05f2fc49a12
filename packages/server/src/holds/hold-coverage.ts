import type { RecordsQuery } from '@enclave/protocol';

/** What an active legal hold keeps, in the form the checks need: ids, and times in epoch milliseconds. */
export interface HoldScope {
  id: string;
  name: string;
  custodianIds: readonly string[];
  roomIds: readonly string[];
  /** Sent at or after this time, or null for "since ever". */
  from: number | null;
  /** Sent before this time, or null for "until released". */
  to: number | null;
}

/** The facts about a message a hold decides on. */
export interface HeldCandidate {
  room_id: string;
  sender_id: string;
  created_at: number;
}

/**
 * Whether a hold keeps a message: every part it names must match (custodians are senders; an empty list means
 * any). The records query means the same in a search, so what a hold keeps is exactly what a search of its
 * matter finds (without the content filters, which holds refuse).
 */
export function holdCovers(scope: HoldScope, message: HeldCandidate): boolean {
  const created = Number(message.created_at);
  return (
    (scope.roomIds.length === 0 || scope.roomIds.includes(message.room_id)) &&
    (scope.custodianIds.length === 0 || scope.custodianIds.includes(message.sender_id)) &&
    (scope.from === null || created >= scope.from) &&
    (scope.to === null || created < scope.to)
  );
}

/** The first of the holds that keeps the message, if any. */
export function holdingScope(scopes: readonly HoldScope[], message: HeldCandidate): HoldScope | undefined {
  return scopes.find((scope) => holdCovers(scope, message));
}

/** A hold's coverage as the shared records query (what the eDiscovery export of a matter exports). */
export function scopeQuery(scope: Pick<HoldScope, 'custodianIds' | 'roomIds' | 'from' | 'to'>): RecordsQuery {
  return {
    custodianIds: [...scope.custodianIds],
    roomIds: [...scope.roomIds],
    ...(scope.from === null ? {} : { from: new Date(scope.from).toISOString() }),
    ...(scope.to === null ? {} : { to: new Date(scope.to).toISOString() }),
  };
}
