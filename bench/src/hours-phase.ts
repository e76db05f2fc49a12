import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sleep } from './concurrency';
import { createChannel, createSignedInUsers, fanoutServerEnv, signInAdmin, type BenchUser } from './enclave-setup';
import { FanoutClients } from './fanout-clients';
import { runStep, type StepResult } from './fanout-step';
import { sweepLanes, type LaneResult, type SweepLane, type SweepStep } from './fanout-sweep';
import { setOffWork, workAroundTheClock } from './off-work';
import { ServerProcess } from './server-process';

/**
 * Issue 17's fan-out figure: one server, one 1,000-member channel, and two lanes taking turns on the same clients:
 * everyone at work, and half the members off work (on leave covering today, set by each through the API). Off work,
 * a member still gets every message on their stream, marked quiet; the figure is what that costs the fan-out.
 */
export interface HoursSettings {
  recipients: number;
  /** Members off work in the half-off lane: the last ones, so the senders (the first clients) stay at work. */
  offWork: number;
  senders: number;
  stepSeconds: number;
  startRate: number;
  /** Sweep steps per lane at most; the sweep, shown beside the verdict, also sets the fixed rate. */
  maxSteps: number;
  resolution: number;
  /** Turns per lane at one fixed rate, the lanes taking turns: the verdict reads the median turn of each. */
  fixedRateTurns: number;
  /** The fixed rate as a share of the lower lane's best swept rate (of the start rate when no step passed). */
  fixedRateShare: number;
}

export const BENCH_HOURS_SETTINGS = {
  recipients: 1_000,
  offWork: 500,
  senders: 10,
  stepSeconds: 3,
  startRate: 25,
  maxSteps: 10,
  resolution: 1.1,
  fixedRateTurns: 5,
  fixedRateShare: 0.6,
} as const satisfies HoursSettings;

export type HoursLaneName = 'at-work' | 'half-off';
export const HOURS_LANES: readonly HoursLaneName[] = ['at-work', 'half-off'];

/** Messages marked `quiet: true` in a lane's steps, by the clients off work in the half-off lane and by the others. */
export interface QuietCount {
  /** Quiet messages received by the clients that are off work in the half-off lane (at work in the other). */
  offWorkClients: number;
  /** Quiet messages received by the clients that are at work in both lanes. */
  atWorkClients: number;
  /** All messages received by the off-work clients: what `offWorkClients` would be if every one was marked. */
  offWorkReceived: number;
}

export interface HoursTurn extends StepResult {
  quiet: QuietCount;
}

export interface HoursResult {
  settings: HoursSettings;
  sweep: Record<HoursLaneName, LaneResult>;
  /** Quiet messages over each lane's sweep steps. */
  sweepQuiet: Record<HoursLaneName, QuietCount>;
  /** The fixed-rate turns per lane, in the order run. */
  fixedRate: Record<HoursLaneName, HoursTurn[]>;
  /** Seconds each switch of the off-work members' leave took (500 PATCH requests), outside the measured steps. */
  switchSeconds: number[];
}

/** After a switch, a moment for anything the server does about the change to finish before a step reads its CPU. */
const SETTLE_AFTER_SWITCH_MS = 500;

export async function runHoursPhase(
  settings: HoursSettings,
  options: { pin: boolean; onStep?: (lane: string, step: SweepStep, quiet: QuietCount) => void; log: (line: string) => void },
): Promise<HoursResult> {
  const { log } = options;
  if (settings.offWork <= 0 || settings.offWork > settings.recipients - settings.senders) throw new Error('the off-work members must be some of the members who do not send');
  const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-bench-hours-'));
  const adminPassword = randomBytes(12).toString('hex');
  const server = await ServerProcess.start('enclave', { env: fanoutServerEnv(dataDir, adminPassword), pin: options.pin });
  let clients: FanoutClients | undefined;
  try {
    const admin = await signInAdmin(server.url, adminPassword);
    log(`hours: ${settings.recipients} users, the organisation at work every day 00:00–24:00 (UTC)`);
    const users = await createSignedInUsers(admin, settings.recipients);
    await workAroundTheClock(admin);
    const firstOff = settings.recipients - settings.offWork;
    const offWorkUsers = users.slice(firstOff);
    // Everyone's availability checked once: nobody is off work for a reason the bench did not set (a holiday).
    await setOffWork(server.url, users, false);
    const channel = await createChannel(admin, 'work-hours', users);
    clients = await FanoutClients.open({ kind: 'enclave', baseUrl: server.url, users }, settings.senders);
    const laneClients = clients;

    const switcher = offWorkSwitcher(server.url, offWorkUsers);
    const quietOf = (): QuietCount => ({
      offWorkClients: laneClients.quietFrames(firstOff, settings.recipients),
      atWorkClients: laneClients.quietFrames(0, firstOff),
      offWorkReceived: laneClients.receivedBy(firstOff, settings.recipients),
    });
    const serverCpuMicros = () => server.cpuMicros();
    const lanes: SweepLane[] = HOURS_LANES.map((name) => ({ name, clients: laneClients, roomId: channel.id, serverCpuMicros, prepare: () => switcher.set(name === 'half-off') }));

    log(`hours: fan-out sweep, ${settings.recipients} clients (${settings.offWork} off work in the half-off lane), ${settings.senders} sending, ${settings.stepSeconds} s per step, the lanes taking turns`);
    const sweepQuiet: Record<HoursLaneName, QuietCount> = { 'at-work': noQuiet(), 'half-off': noQuiet() };
    const swept = await sweepLanes(lanes, {
      senders: settings.senders,
      seconds: settings.stepSeconds,
      startRate: settings.startRate,
      maxSteps: settings.maxSteps,
      resolution: settings.resolution,
      onStep: (lane, step) => {
        const quiet = quietOf();
        sweepQuiet[lane as HoursLaneName] = addQuiet(sweepQuiet[lane as HoursLaneName], quiet);
        options.onStep?.(lane, step, quiet);
      },
    });
    const sweep = { 'at-work': swept.get('at-work')!, 'half-off': swept.get('half-off')! };

    const lowerBest = Math.min(...HOURS_LANES.map((name) => sweep[name].best?.rate ?? 0));
    // CPU per delivery needs no passing sweep step: on a machine too busy for the latency bound even at the first
    // rate, the turns run at a share of that rate instead.
    const rate = Math.max(1, Math.round((lowerBest > 0 ? lowerBest : settings.startRate) * settings.fixedRateShare));
    log(`hours: fan-out at a fixed ${rate} msg/s, ${settings.fixedRateTurns} turns per lane, the order alternating`);
    const fixedRate: Record<HoursLaneName, HoursTurn[]> = { 'at-work': [], 'half-off': [] };
    turns: for (let turn = 0; turn < settings.fixedRateTurns; turn++) {
      const order = turn % 2 === 0 ? lanes : [...lanes].reverse();
      for (const lane of order) {
        await lane.prepare!();
        const step = await runStep(laneClients, { seconds: settings.stepSeconds, senders: settings.senders, roomId: channel.id, serverCpuMicros, rate, stepTag: `fixed-${turn}` });
        const quiet = quietOf();
        fixedRate[lane.name as HoursLaneName].push({ ...step, quiet });
        options.onStep?.(`${lane.name} fixed`, { ...step, attempt: 1 }, quiet);
        // A loss leaves the clients' sequence state behind the server's: later steps would only repeat it.
        if (step.failure === 'loss') break turns;
      }
    }
    return { settings, sweep, sweepQuiet, fixedRate, switchSeconds: switcher.seconds };
  } finally {
    await clients?.close();
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Switches the off-work members' leave only when the lane to run next wants the other state: lanes taking turns in
 * alternating order run the same lane twice in a row at a turn's boundary, and a retried sweep step prepares again.
 */
function offWorkSwitcher(baseUrl: string, offWorkUsers: readonly BenchUser[]) {
  let offWork = false;
  const seconds: number[] = [];
  return {
    seconds,
    async set(wanted: boolean): Promise<void> {
      if (wanted === offWork) return;
      const startedAt = performance.now();
      await setOffWork(baseUrl, offWorkUsers, wanted);
      seconds.push((performance.now() - startedAt) / 1000);
      offWork = wanted;
      await sleep(SETTLE_AFTER_SWITCH_MS);
    },
  };
}

export function noQuiet(): QuietCount {
  return { offWorkClients: 0, atWorkClients: 0, offWorkReceived: 0 };
}

export function addQuiet(a: QuietCount, b: QuietCount): QuietCount {
  return { offWorkClients: a.offWorkClients + b.offWorkClients, atWorkClients: a.atWorkClients + b.atWorkClients, offWorkReceived: a.offWorkReceived + b.offWorkReceived };
}
