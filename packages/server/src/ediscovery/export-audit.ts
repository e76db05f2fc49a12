import type { RecordsQuery } from '@enclave/protocol';
import type { Transaction } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import type { ExportOutcome } from './export-run';

/**
 * Writes `compliance.records_exported`: who (null for the scheduled export), how much, the query as ids, dates
 * and flags, and the manifest's hash, which names the exact file. Never content.
 */
export async function recordExport(
  trx: Transaction<Database>,
  event: { actorId: string | null; ip: string | null; query: RecordsQuery; matterId?: string | undefined; outcome: ExportOutcome; scheduled?: { day: string; file: string } },
): Promise<void> {
  const { query, outcome } = event;
  await recordAudit(trx, {
    actorId: event.actorId,
    action: 'compliance.records_exported',
    data: {
      ...outcome.counts,
      manifestSha256: outcome.manifestSha256,
      scheduled: event.scheduled !== undefined,
      ...(event.matterId === undefined ? {} : { matterId: event.matterId }),
      ...(event.scheduled ? { day: event.scheduled.day, file: event.scheduled.file } : {}),
      query: { custodianIds: query.custodianIds, roomIds: query.roomIds, from: query.from ?? null, to: query.to ?? null, label: query.label ?? null, hasFile: query.hasFile ?? null },
    },
    ip: event.ip,
  });
}
