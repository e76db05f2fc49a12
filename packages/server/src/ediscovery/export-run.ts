import type { Readable } from 'node:stream';
import { setImmediate as nextTurn } from 'node:timers/promises';
import type { ExportManifest, RecordsQuery } from '@enclave/protocol';
import type { Kysely } from 'kysely';
import type { AuditSigningKey } from '../audit/audit-signing-key';
import type { Database } from '../db/schema';
import type { FilesService } from '../files/files.service';
import { AppError } from '../http/app-error';
import type { Keyring } from '../keys/keyring';
import { emlOf, emlPath } from './export-eml';
import { loadRecords, type RecordBatch } from './export-records';
import { openSelection, type Selection } from './export-selection';
import { csvHeader, csvRows, jsonLines, transcriptHead, transcriptRows, transcriptTail } from './export-text-formats';
import type { SignedZipWriter } from './signed-zip';

/** Records read per query round: big enough to keep queries few, small enough to keep memory and pauses small. */
const BATCH = 200;

export interface ExportRunDeps {
  db: Kysely<Database>;
  keys: Keyring;
  files: FilesService;
  auditKey: AuditSigningKey;
  /** The host of addresses and Message-IDs in the EMLs. */
  host: string;
}

export interface ExportOutcome {
  counts: ExportManifest['counts'];
  manifestSha256: string;
}

/**
 * Writes every part of an export of `query` into the zip, reading the selection once per part (never holding it
 * whole), then the signed manifest. `beforeEnd` records the export (the audit entry) before the zip's last bytes.
 */
export async function runExport(
  deps: ExportRunDeps,
  writer: SignedZipWriter,
  request: { query: RecordsQuery; matterId?: string | undefined; exportedBy: ExportManifest['exportedBy']; exportedAt: Date; traceCode?: string | undefined },
  beforeEnd: (outcome: ExportOutcome) => Promise<void>,
): Promise<ExportOutcome> {
  const selection = await openSelection(deps.db, deps.keys, request.query);
  const batches = () => recordBatches(deps, selection);
  const counted = { messages: 0, held: 0, files: new Set<string>(), rooms: new Set<string>() };

  await writer.add(
    'messages.jsonl',
    (async function* () {
      for await (const { records } of batches()) {
        for (const record of records) {
          if (record.held === null) counted.messages += 1;
          else counted.held += 1;
          counted.rooms.add(record.roomId);
          for (const file of record.files) counted.files.add(file.id);
        }
        yield jsonLines(records);
      }
    })(),
  );
  await writer.add(
    'summary.csv',
    (async function* () {
      yield csvHeader();
      for await (const { records } of batches()) yield csvRows(records);
    })(),
  );
  await writer.add(
    'transcript.html',
    (async function* () {
      yield transcriptHead(request.exportedAt.toISOString(), request.traceCode === undefined ? undefined : { username: request.exportedBy.username, traceCode: request.traceCode });
      let room: string | null = null;
      for await (const { records } of batches()) {
        yield transcriptRows(records, room);
        room = records[records.length - 1]?.roomId ?? room;
      }
      yield transcriptTail(room);
    })(),
  );
  const unreadable = new Set<string>();
  const openFile = async (fileId: string): Promise<Readable | undefined> => {
    if (unreadable.has(fileId)) return undefined;
    try {
      return (await deps.files.openForRecords(fileId)).stream;
    } catch (error) {
      // A damaged file (reported to the audit log by the files feature) must not sink the whole export: it is
      // left out, and the manifest names it.
      if (!(error instanceof AppError && error.code === 'CONTENT_DAMAGED')) throw error;
      unreadable.add(fileId);
      return undefined;
    }
  };
  const written = new Set<string>();
  for await (const { records, recipients } of batches()) {
    for (const record of records) {
      await writer.add(emlPath(record), await emlOf(record, { host: deps.host, recipients: recipients.get(record)!, openFile, traceCode: request.traceCode }));
      for (const file of record.files) {
        if (written.has(file.path)) continue;
        written.add(file.path);
        const bytes = await openFile(file.id);
        if (bytes) await writer.add(file.path, bytes);
      }
    }
  }

  const counts = { messages: counted.messages, held: counted.held, files: counted.files.size, rooms: counted.rooms.size };
  let outcome: ExportOutcome | undefined;
  await writer.finish(deps.auditKey, { format: 'enclave-ediscovery-export/1', exportedAt: request.exportedAt.toISOString(), exportedBy: request.exportedBy, query: request.query, ...(request.matterId === undefined ? {} : { matterId: request.matterId }), ...(request.traceCode === undefined ? {} : { traceCode: request.traceCode }), counts, unreadableFileIds: [...unreadable] }, async (manifestSha256) => {
    outcome = { counts, manifestSha256 };
    await beforeEnd(outcome);
  });
  return outcome!;
}

/** The selection's records a batch at a time, yielding the event loop between batches. */
async function* recordBatches(deps: ExportRunDeps, selection: Selection): AsyncGenerator<RecordBatch> {
  for await (const page of selection.pages(BATCH)) {
    yield await loadRecords(deps.db, deps.keys, page);
    await nextTurn();
  }
}
