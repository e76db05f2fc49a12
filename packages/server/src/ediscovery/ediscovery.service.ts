import type { ExportRequest } from '@enclave/protocol';
import type { Readable } from 'node:stream';
import type { Actor } from '../auth/actor';
import { recordAudit } from '../audit/audit.service';
import { checkSelectable } from './export-selection';
import { runExport, type ExportOutcome, type ExportRunDeps } from './export-run';
import { SignedZipWriter } from './signed-zip';
import type { RecordsQuery } from '@enclave/protocol';

/**
 * eDiscovery for compliance officers: the records a query names, exported as one signed zip. The endpoint's
 * access rule admits officers only; every export is audited with its counts, the query's shape and the manifest's
 * hash, never with content.
 */
export class EdiscoveryService {
  constructor(private readonly deps: ExportRunDeps & { log: { error(details: object, message: string): void } }) {}

  /** Starts the export and answers its zip as a stream; the export is audited before the zip's last bytes. */
  exportRecords(actor: Actor, request: ExportRequest): Readable {
    const { query } = request;
    checkSelectable(query);
    const exportedAt = new Date();
    const writer = new SignedZipWriter(exportedAt);
    const abandoned = () => writer.abort(new Error('the export was abandoned by its reader'));
    writer.output.once('close', abandoned);
    runExport(this.deps, writer, { query, exportedBy: { id: actor.userId, username: actor.username }, exportedAt }, (outcome) => this.audit(actor.userId, actor.ip, query, outcome, false))
      .then(() => writer.output.off('close', abandoned))
      .catch((error: Error) => {
        this.deps.log.error({ err: error }, 'an eDiscovery export failed');
        writer.abort(error);
      });
    return writer.output;
  }

  /** Records an export in the audit log: who, how much, what shape of query, and the manifest's hash. */
  async audit(actorId: string | null, ip: string | null, query: RecordsQuery, outcome: ExportOutcome, scheduled: boolean): Promise<void> {
    await this.deps.db.transaction().execute((trx) =>
      recordAudit(trx, {
        actorId,
        action: 'compliance.records_exported',
        data: { ...outcome.counts, manifestSha256: outcome.manifestSha256, scheduled, query: querySummary(query) },
        ip,
      }),
    );
  }
}

/** The query as ids, dates and flags: what was asked for, without words people wrote. */
function querySummary(query: RecordsQuery): Record<string, unknown> {
  return { custodianIds: query.custodianIds, roomIds: query.roomIds, from: query.from ?? null, to: query.to ?? null, label: query.label ?? null, hasFile: query.hasFile ?? null };
}
