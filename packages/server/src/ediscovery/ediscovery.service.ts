import { randomUUID } from 'node:crypto';
import type { ExportRequest, TraceMark } from '@enclave/protocol';
import type { Readable } from 'node:stream';
import type { Actor } from '../auth/actor';
import { matterQuery } from '../holds/holds.access';
import { recordExport } from './export-audit';
import { runExport, type ExportRunDeps } from './export-run';
import { SignedZipWriter } from './signed-zip';

/**
 * What an export needs of leak tracing (tracing/ provides it; app.ts passes it in, so neither feature imports the
 * other): a code for the officer's export, and the binding of the signed manifest's SHA-256 to it.
 */
export interface ExportTraceMarker {
  issueExportMark(officer: Pick<Actor, 'userId'>, exportId: string): Promise<TraceMark>;
  recordStampedCopy(code: string, copy: { sha256: string; details?: Record<string, unknown> }): Promise<void>;
}

/**
 * eDiscovery for compliance officers: the records a query names, exported as one signed zip. The endpoint's
 * access rule admits officers only; every export is audited with its counts, the query's shape and the manifest's
 * hash, never with content.
 */
export class EdiscoveryService {
  constructor(private readonly deps: ExportRunDeps & { tracing: ExportTraceMarker; log: { error(details: object, message: string): void } }) {}

  /** What an export needs, for the scheduled export that runs beside the server. */
  get runDeps(): ExportRunDeps {
    return this.deps;
  }

  /** Starts the export and answers its zip as a stream; the export is audited before the zip's last bytes. */
  async exportRecords(actor: Actor, request: ExportRequest): Promise<Readable> {
    // A matter exports exactly what its hold keeps: the same records query, read when the export starts.
    const matterId = 'matterId' in request ? request.matterId : undefined;
    const query = 'query' in request ? request.query : await matterQuery(this.deps.db, request.matterId);
    const exportedAt = new Date();
    // The officer's copy names them: the code is printed in the transcript and the EMLs and signed into the manifest.
    const { code: traceCode } = await this.deps.tracing.issueExportMark(actor, randomUUID());
    const writer = new SignedZipWriter(exportedAt);
    const abandoned = () => writer.abort(new Error('the export was abandoned by its reader'));
    writer.output.once('close', abandoned);
    runExport(this.deps, writer, { query, matterId, exportedBy: { id: actor.userId, username: actor.username }, exportedAt, traceCode }, async (outcome) => {
      await this.deps.tracing.recordStampedCopy(traceCode, { sha256: outcome.manifestSha256, details: { manifest: true } });
      await this.deps.db.transaction().execute((trx) => recordExport(trx, { actorId: actor.userId, ip: actor.ip, query, matterId, outcome }));
    })
      .then(() => writer.output.off('close', abandoned))
      .catch((error: Error) => {
        this.deps.log.error({ err: error }, 'an eDiscovery export failed');
        writer.abort(error);
      });
    return writer.output;
  }
}
