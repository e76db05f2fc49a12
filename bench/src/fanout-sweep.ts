import { sleep } from './concurrency';
import type { FanoutClients } from './fanout-clients';
import { runStep, type StepOptions, type StepResult } from './fanout-step';

/** One server under test in the sweep, with its connected clients. */
export interface SweepLane {
  name: string;
  clients: FanoutClients;
  roomId: string;
  serverCpuMicros: () => Promise<number>;
  /** Runs before each of the lane's steps, outside the measured time: lanes sharing a server set it up their way. */
  prepare?: () => Promise<void>;
}

export interface SweepOptions extends Pick<StepOptions, 'seconds' | 'senders'> {
  startRate: number;
  /** Steps per lane at most, retries included; the sweep normally ends well before. */
  maxSteps: number;
  /** The sweep stops narrowing once the lowest failing rate is within this factor of the highest passing one. */
  resolution: number;
  onStep?: (lane: string, step: SweepStep) => void;
}

export interface SweepStep extends StepResult {
  attempt: number;
}

export interface LaneResult {
  steps: SweepStep[];
  /** The passing step with the most deliveries per second, if any step passed. */
  best: SweepStep | undefined;
}

const PAUSE_BETWEEN_STEPS_MS = 300;
/**
 * A step that misses the latency bound is tried once more before it counts as failed: this machine's host now
 * and then stops both cores for hundreds of milliseconds, which alone can spoil one step's p99.
 */
const ATTEMPTS = 2;

/**
 * Finds, for every lane, the highest send rate that still meets the bounds: the rate doubles until a step
 * fails, then the interval between the last pass and the first failure is bisected. The lanes take turns at
 * every step, so a slow spell of the machine hits them alike instead of spoiling one server's figure.
 * A loss ends a lane at once, and every lane sharing its clients: their sequence state can no longer be trusted.
 */
export async function sweepLanes(lanes: readonly SweepLane[], options: SweepOptions): Promise<Map<string, LaneResult>> {
  const states = lanes.map((lane) => ({ lane, steps: [] as SweepStep[], low: undefined as number | undefined, high: undefined as number | undefined, done: false }));
  for (let round = 0; round < options.maxSteps && states.some((state) => !state.done); round++) {
    for (const state of states) {
      if (state.done) continue;
      const rate = nextRate(state.low, state.high, options);
      if (rate === undefined || state.steps.length >= options.maxSteps) {
        state.done = true;
        continue;
      }
      let step: SweepStep | undefined;
      for (let attempt = 1; attempt <= ATTEMPTS && (!step || step.failure === 'latency'); attempt++) {
        const { clients, roomId, serverCpuMicros, prepare } = state.lane;
        await prepare?.();
        const result = await runStep(clients, { seconds: options.seconds, senders: options.senders, roomId, serverCpuMicros, rate, stepTag: `${state.steps.length}` });
        step = { ...result, attempt };
        state.steps.push(step);
        options.onStep?.(state.lane.name, step);
        await sleep(PAUSE_BETWEEN_STEPS_MS);
      }
      if (step!.passed) state.low = Math.max(state.low ?? 0, rate);
      else if (step!.failure === 'latency') state.high = Math.min(state.high ?? Infinity, rate);
      else for (const other of states) if (other.lane.clients === state.lane.clients) other.done = true;
    }
  }
  return new Map(
    states.map(({ lane, steps }) => [
      lane.name,
      { steps, best: steps.filter((step) => step.passed).reduce<SweepStep | undefined>((top, step) => (!top || step.deliveredPerSecond > top.deliveredPerSecond ? step : top), undefined) },
    ]),
  );
}

/** Doubling up from the start, halving down if even the start fails, bisecting once a failure bounds the pass. */
function nextRate(low: number | undefined, high: number | undefined, options: SweepOptions): number | undefined {
  if (high === undefined) return low === undefined ? options.startRate : low * 2;
  if (low === undefined) return high / 2 >= 1 ? Math.floor(high / 2) : undefined;
  return high / low > options.resolution ? Math.round((low + high) / 2) : undefined;
}
