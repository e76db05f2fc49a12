import { createWriteStream } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RecordsQuery } from '@enclave/protocol';
import { recordExport } from './export-audit';
import { claimDailyRun, finishDailyRun, lastFinishedDay, releaseDailyRun } from './ediscovery.repository';
import { runExport, type ExportRunDeps } from './export-run';
import { SignedZipWriter } from './signed-zip';

const DAY_MS = 24 * 3_600_000;
/** A claimed day unfinished for this long was left by a node that stopped; another run takes it over. */
const STALE_CLAIM_MS = 6 * 3_600_000;
/** After a long stop, the days missed are caught up, at most this many (older ones need an officer's export). */
const CATCH_UP_DAYS = 31;

export interface DailyExportSettings {
  directory: string;
  /** HH:MM, UTC: when the previous day's export is due. */
  time: string;
  /** What each day's export covers (its dates are the day's). */
  query: Omit<RecordsQuery, 'from' | 'to' | 'words'>;
}

/**
 * The scheduled export: every day at `time` (UTC), the previous UTC day's records as one signed zip in the
 * directory, for an archive system to collect. Written under a dot-name ending `.part` and renamed when complete,
 * so a collector never takes half a file. Each day is claimed in the database before it is written and marked
 * done with its audit entry after the rename: one run per day per installation, however many nodes, and a
 * restart neither redoes a finished day nor skips a due one. Returns the days written by this call.
 */
export async function runDailyExports(deps: ExportRunDeps, settings: DailyExportSettings, now: Date): Promise<string[]> {
  const due = dueDay(now, settings.time);
  const last = await lastFinishedDay(deps.db);
  const earliest = addDays(due, -(CATCH_UP_DAYS - 1));
  let day = last === undefined ? due : addDays(last, 1);
  if (day < earliest) day = earliest;
  const written: string[] = [];
  for (; day <= due; day = addDays(day, 1)) {
    if (!(await claimDailyRun(deps.db, day, now.getTime(), now.getTime() - STALE_CLAIM_MS))) continue;
    await exportDay(deps, settings, day, now);
    written.push(day);
  }
  return written;
}

/** Runs the job now and then every minute until stopped; a run still going is never overlapped. */
export function startDailyExports(deps: ExportRunDeps, settings: DailyExportSettings, log: { error(details: object, message: string): void }): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  let busy = false;
  const tick = () => {
    if (busy) return;
    busy = true;
    running = runDailyExports(deps, settings, new Date())
      .catch((error: unknown) => log.error({ err: error }, 'the scheduled eDiscovery export failed; it is tried again in a minute'))
      .finally(() => {
        busy = false;
      });
  };
  tick();
  const timer = setInterval(tick, 60_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

/** The file a day's export is kept under. */
export function dailyExportFileName(day: string): string {
  return `enclave-records-${day}.zip`;
}

async function exportDay(deps: ExportRunDeps, settings: DailyExportSettings, day: string, now: Date): Promise<void> {
  const query: RecordsQuery = { ...settings.query, from: `${day}T00:00:00.000Z`, to: `${addDays(day, 1)}T00:00:00.000Z` };
  const name = dailyExportFileName(day);
  const temp = path.join(settings.directory, `.${name}.part`);
  await mkdir(settings.directory, { recursive: true, mode: 0o700 });
  await rm(temp, { force: true });
  const writer = new SignedZipWriter(now);
  try {
    const [outcome] = await Promise.all([
      runExport(deps, writer, { query, exportedBy: { id: null, username: null }, exportedAt: now }, async () => {}),
      pipeline(writer.output, createWriteStream(temp, { mode: 0o600, flags: 'wx' })),
    ]);
    await rename(temp, path.join(settings.directory, name));
    await deps.db.transaction().execute(async (trx) => {
      await finishDailyRun(trx, day, Date.now(), name);
      await recordExport(trx, { actorId: null, ip: null, query, outcome, scheduled: { day, file: name } });
    });
  } catch (error) {
    writer.abort(error as Error);
    await rm(temp, { force: true });
    await releaseDailyRun(deps.db, day);
    throw error;
  }
}

/** The latest day whose export is due at `now`: yesterday once today's `time` has come, else the day before. */
function dueDay(now: Date, time: string): string {
  const [hours, minutes] = time.split(':').map(Number) as [number, number];
  const shifted = new Date(now.getTime() - (hours * 60 + minutes) * 60_000);
  return addDays(shifted.toISOString().slice(0, 10), -1);
}

function addDays(day: string, days: number): string {
  return new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);
}
