import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { EnclaveClient } from '@enclave/sdk';
import { createChannel, signInAdmin } from './enclave-setup';
import { FanoutClients } from './fanout-clients';
import { sweepLanes, type LaneResult, type SweepOptions, type SweepStep } from './fanout-sweep';
import type { LoopDelayFigures } from './bench-ipc';
import { BENCH_SEARCH_SETTINGS } from './search-phase';
import { prepareSearchDataset } from './search-dataset';
import { ServerProcess } from './server-process';

export interface PurgeSettings {
  fanoutSenders: number;
  stepSeconds: number;
  startRate: number;
  maxSteps: number;
  resolution: number;
  /**
   * How long the sweeps under purge may go on: they repeat, back to back, until the purge has erased everything
   * due, so the figure covers the whole purge; a purge still running after this is reported as such, with its rate.
   */
  maxPurgeSeconds: number;
}

/** The fan-out sweep of `npm run bench:custody`, with the search bench's 300 users as its recipients. */
export const BENCH_PURGE_SETTINGS = { fanoutSenders: 10, stepSeconds: 3, startRate: 25, maxSteps: 12, resolution: 1.1, maxPurgeSeconds: 3_600 } as const satisfies PurgeSettings;

/** One sweep while the purge ran, and how many messages the purge had erased when it began and ended. */
export interface SweepUnderPurge {
  lane: LaneResult;
  /** The server's event-loop delay during the sweep. */
  loopDelay: LoopDelayFigures;
  erasedBefore: number;
  erasedAfter: number;
  seconds: number;
}

export interface PurgeResult {
  messagesBefore: number;
  messagesAfter: number;
  /** Seconds from the purge's start to its end, or to when the bench stopped waiting (`finished` false). */
  purgeSeconds: number;
  finished: boolean;
  idleBefore: LaneResult;
  /** Every sweep run while the purge ran, in order; together they span the whole purge. */
  duringPurge: SweepUnderPurge[];
  /** Only when the purge finished within `maxPurgeSeconds`. */
  idleAfter: LaneResult | undefined;
  /** The server's event-loop delay during the idle sweep before the purge: how long it stalled without one. */
  idleLoopDelay: LoopDelayFigures;
}

/**
 * Fan-out while the retention purge erases a million messages: the search bench's data set (1,000,000 messages
 * over a year, cached with ENCLAVE_BENCH_SEARCH_CACHE), its 300 users in one channel. The fan-out sweep runs idle,
 * then again and again, back to back, while an officer's "purge now" with a one-day organisation policy erases all
 * but the last day's messages, until the purge is done; then idle once more. Each sweep's best passing deliveries
 * per second is its figure, so the purge is measured over its whole length, loaded as hard as the sweeps load it.
 */
export async function runPurgePhase(settings: PurgeSettings, options: { pin: boolean; cacheDir?: string | undefined; log: (line: string) => void; onStep?: (lane: string, step: SweepStep) => void }): Promise<PurgeResult> {
  const { log } = options;
  const dataset = await prepareSearchDataset(BENCH_SEARCH_SETTINGS, { pin: options.pin, cacheDir: options.cacheDir }, log);
  let server: ServerProcess | undefined;
  let clients: FanoutClients | undefined;
  try {
    server = await ServerProcess.start('enclave', { env: { ...dataset.env, ENCLAVE_STREAM_FRAMES_PER_SECOND: '100000', ENCLAVE_RETENTION_PURGE_INTERVAL_MINUTES: '0' }, pin: options.pin });
    const admin = await signInAdmin(server.url, dataset.env.ENCLAVE_ADMIN_PASSWORD!);
    const officer = await signInOfficer(admin);
    const channel = await createChannel(admin, 'fan-out', dataset.users);
    clients = await FanoutClients.open({ kind: 'enclave', baseUrl: server.url, users: dataset.users }, settings.fanoutSenders);
    const lane = { clients, roomId: channel.id, serverCpuMicros: () => server!.cpuMicros() };
    const sweep = async (name: string) => (await sweepLanes([{ name, ...lane }], sweepOptions(settings, options.onStep))).get(name)!;

    log('purge: fan-out sweep, idle');
    await server.startLoopDelay();
    const idleBefore = await sweep('idle');
    const idleLoopDelay = await server.stopLoopDelay();
    log(`purge: idle sweep best ${Math.round(idleBefore.best?.deliveredPerSecond ?? 0)} deliveries/s, event-loop delay p99 ${idleLoopDelay.p99Ms.toFixed(0)} ms, max ${idleLoopDelay.maxMs.toFixed(0)} ms`);
    // The sweeps send messages all through the purge; counting only those sent before it began keeps them out of
    // what the purge erased.
    const purgeStartedAt = Date.now();
    const messagesBefore = await server.messageCount(purgeStartedAt);
    await officer.endpoint('setRetention')({ body: { scope: 'organisation', deleteAfterDays: 1, keepAtLeastDays: null } });
    log(`purge: purging ${messagesBefore.toLocaleString('en-US')} messages (all but the last day's), the sweep repeating until it is done`);
    const startedAt = performance.now();
    let finished = false;
    const finishing = untilFinished(officer, log).then((at) => {
      finished = true;
      return at;
    });
    // Asking fails once the server stops, when the bench stops waiting for a purge still running: only a failure
    // while it waits is one.
    let failure: unknown;
    finishing.catch((error: unknown) => {
      failure ??= error;
    });
    const erased = async () => messagesBefore - (await server!.messageCount(purgeStartedAt));
    const duringPurge: SweepUnderPurge[] = [];
    while (!finished && performance.now() - startedAt < settings.maxPurgeSeconds * 1000) {
      if (failure !== undefined) throw failure;
      const sweepStart = performance.now();
      const erasedBefore = await erased();
      // Counting scans the messages table, a stall of the bench's own making: it stays out of the delay measured.
      await server.startLoopDelay();
      const result = await sweep(`purging-${duringPurge.length + 1}`);
      const loopDelay = await server.stopLoopDelay();
      const erasedAfter = await erased();
      duringPurge.push({ lane: result, loopDelay, erasedBefore, erasedAfter, seconds: (performance.now() - sweepStart) / 1000 });
      log(`purge: sweep ${duringPurge.length} best ${Math.round(result.best?.deliveredPerSecond ?? 0)} deliveries/s, ${(erasedAfter - erasedBefore).toLocaleString('en-US')} erased during it (${erasedAfter.toLocaleString('en-US')} in all), event-loop delay p99 ${loopDelay.p99Ms.toFixed(0)} ms, max ${loopDelay.maxMs.toFixed(0)} ms`);
    }
    // The last sweep may outlast the purge by a little; the purge's time is its own, not the sweep's.
    const purgeSeconds = ((finished ? await finishing : performance.now()) - startedAt) / 1000;
    const messagesAfter = await server.messageCount(purgeStartedAt);
    log(`purge: ${finished ? 'done' : 'still running'} after ${purgeSeconds.toFixed(0)} s, ${messagesAfter.toLocaleString('en-US')} messages left`);
    if (!finished) return { messagesBefore, messagesAfter, purgeSeconds, finished, idleBefore, duringPurge, idleAfter: undefined, idleLoopDelay };

    log('purge: fan-out sweep, idle again');
    const idleAfter = await sweep('idle-after');
    return { messagesBefore, messagesAfter, purgeSeconds, finished, idleBefore, duringPurge, idleAfter, idleLoopDelay };
  } finally {
    await clients?.close();
    await server?.stop();
    rmSync(dataset.dataDir, { recursive: true, force: true });
  }
}

async function signInOfficer(admin: EnclaveClient): Promise<EnclaveClient> {
  const username = 'bench-officer';
  const password = randomBytes(12).toString('hex');
  await admin.endpoint('createUser')({ body: { username, password, displayName: 'Bench officer', role: 'compliance' } });
  const officer = new EnclaveClient({ baseUrl: admin.baseUrl });
  await officer.login(username, password);
  return officer;
}

/**
 * Asks for the purge until it answers finished: a long run answers with its progress, and asking again waits for
 * it. Resolves with the moment it finished.
 */
async function untilFinished(officer: EnclaveClient, log: (line: string) => void): Promise<number> {
  for (;;) {
    const run = await officer.endpoint('runPurge')();
    log(`purge: ${run.messages.toLocaleString('en-US')} erased${run.finished ? ', finished' : ' so far'}`);
    if (run.finished) return performance.now();
  }
}

function sweepOptions(settings: PurgeSettings, onStep: SweepOptions['onStep']): SweepOptions {
  return { senders: settings.fanoutSenders, seconds: settings.stepSeconds, startRate: settings.startRate, maxSteps: settings.maxSteps, resolution: settings.resolution, ...(onStep ? { onStep } : {}) };
}
