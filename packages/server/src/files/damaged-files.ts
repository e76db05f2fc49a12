import type { FastifyBaseLogger } from 'fastify';
import type { Kysely } from 'kysely';
import { recordAudit } from '../audit/audit.service';
import type { Database } from '../db/schema';
import { AppError } from '../http/app-error';
import { ContentDamaged } from '../keys/sealed';

/**
 * What happens when a file's sealed bytes (or its name) do not open: changed on disk, swapped with another file's,
 * or its key gone. That one file answers CONTENT_DAMAGED and everything else goes on. Each damaged file is
 * audited once per process (`content.damaged`, by file, never with content), not on every request for it, so a
 * timeline full of one broken thumbnail does not flood the log.
 */
export class DamagedFiles {
  private readonly reported = new Set<string>();

  constructor(private readonly deps: { db: Kysely<Database>; log: FastifyBaseLogger }) {}

  /** Turns ContentDamaged into CONTENT_DAMAGED (reporting it); any other error passes as it is. */
  async refusal(error: unknown, fileId: string, actorId: string | null, ip?: string | null): Promise<unknown> {
    if (!(error instanceof ContentDamaged)) return error;
    await this.report(fileId, actorId, ip);
    return new AppError('CONTENT_DAMAGED');
  }

  /** Records the damage once; a failure to record it is logged, never put in the way of the answer. */
  async report(fileId: string, actorId: string | null, ip?: string | null): Promise<void> {
    if (this.reported.has(fileId)) return;
    this.reported.add(fileId);
    this.deps.log.error({ fileId }, 'a stored file does not open: it is damaged or was replaced');
    try {
      await this.deps.db.transaction().execute((trx) => recordAudit(trx, { actorId, action: 'content.damaged', target: { type: 'file', id: fileId }, ip: ip ?? null }));
    } catch (error) {
      this.reported.delete(fileId);
      this.deps.log.error({ err: error }, 'recording a damaged file failed');
    }
  }
}
