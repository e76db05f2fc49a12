import { randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { EnclaveClient } from '@enclave/sdk';
import { createChannel, signInAdmin } from './enclave-setup';
import { FanoutClients } from './fanout-clients';
import { sweepLanes, type LaneResult, type SweepOptions, type SweepStep } from './fanout-sweep';
import { sleep } from './concurrency';
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
   * How long to wait for the purge to finish once the sweep under purge is done: a million messages take tens of
   * minutes, and the figure the target names is the sweep's; a purge still running then is reported with its rate.
   */
  finishWaitSeconds: number;
}

/** The fan-out sweep of `npm run bench:custody`, with the search bench's 300 users as its recipients. */
export const BENCH_PURGE_SETTINGS = { fanoutSenders: 10, stepSeconds: 3, startRate: 25, maxSteps: 12, resolution: 1.1, finishWaitSeconds: 600 } as const satisfies PurgeSettings;

export interface PurgeResult {
  messagesBefore: number;
  messagesAfter: number;
  /** Messages the purge had erased when the sweep under purge began and when it ended. */
  erasedWhenSweepBegan: number;
  erasedWhenSweepEnded: number;
  /** Seconds from the purge's start to its end, or to when the bench stopped waiting (`finished` false). */
  purgeSeconds: number;
  finished: boolean;
  idleBefore: LaneResult;
  duringPurge: LaneResult;
  /** Only when the purge finished within `finishWaitSeconds`. */
  idleAfter: LaneResult | undefined;
}

/**
 * Fan-out while the retention purge erases a million messages: the search bench's data set (1,000,000 messages
 * over a year, cached with ENCLAVE_BENCH_SEARCH_CACHE), its 300 users in one channel. The fan-out sweep runs idle,
 * then again while an officer's "purge now" with a one-day organisation policy erases all but the last day's
 * messages, then idle once more; each sweep's best passing deliveries per second is the figure.
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
    const idleBefore = await sweep('idle');
    const messagesBefore = await server.messageCount();
    await officer.endpoint('setRetention')({ body: { scope: 'organisation', deleteAfterDays: 1, keepAtLeastDays: null } });
    log(`purge: purging ${messagesBefore.toLocaleString('en-US')} messages (all but the last day's) while the sweep runs again`);
    const startedAt = performance.now();
    const finishing = untilFinished(officer, log);
    const erasedWhenSweepBegan = messagesBefore - (await server.messageCount());
    const duringPurge = await sweep('purging');
    const erasedWhenSweepEnded = messagesBefore - (await server.messageCount());
    log(`purge: ${erasedWhenSweepBegan.toLocaleString('en-US')} erased when the sweep began, ${erasedWhenSweepEnded.toLocaleString('en-US')} when it ended`);
    const finished = await Promise.race([finishing.then(() => true), sleep(settings.finishWaitSeconds * 1000).then(() => false)]);
    const messagesAfter = await server.messageCount();
    const purgeSeconds = (performance.now() - startedAt) / 1000;
    log(`purge: ${finished ? 'done' : 'still running'} after ${purgeSeconds.toFixed(0)} s, ${messagesAfter.toLocaleString('en-US')} messages left`);
    if (!finished) return { messagesBefore, messagesAfter, erasedWhenSweepBegan, erasedWhenSweepEnded, purgeSeconds, finished, idleBefore, duringPurge, idleAfter: undefined };

    log('purge: fan-out sweep, idle again');
    const idleAfter = await sweep('idle-after');
    return { messagesBefore, messagesAfter, erasedWhenSweepBegan, erasedWhenSweepEnded, purgeSeconds, finished, idleBefore, duringPurge, idleAfter };
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

/** Asks for the purge until it answers finished: a long run answers with its progress, and asking again waits for it. */
async function untilFinished(officer: EnclaveClient, log: (line: string) => void): Promise<void> {
  for (;;) {
    const run = await officer.endpoint('runPurge')();
    log(`purge: ${run.messages.toLocaleString('en-US')} erased${run.finished ? ', finished' : ' so far'}`);
    if (run.finished) return;
  }
}

function sweepOptions(settings: PurgeSettings, onStep: SweepOptions['onStep']): SweepOptions {
  return { senders: settings.fanoutSenders, seconds: settings.stepSeconds, startRate: settings.startRate, maxSteps: settings.maxSteps, resolution: settings.resolution, ...(onStep ? { onStep } : {}) };
}
