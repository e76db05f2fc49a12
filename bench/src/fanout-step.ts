import { sleep, waitUntil } from './concurrency';
import type { DeliveryCheck, FanoutClients } from './fanout-clients';

/** The p99 send-to-receive latency at or above which a step fails. */
export const P99_LIMIT_MS = 100;
const TICK_MS = 5;
/** After the last send, how long deliveries may take before the missing ones count as lost. */
const DRAIN_TIMEOUT_MS = 10_000;
/** Once everything has arrived, how long to keep listening for duplicates. */
const DUPLICATE_GRACE_MS = 200;

export interface StepOptions {
  /** Messages per second, all senders together. */
  rate: number;
  seconds: number;
  senders: number;
  roomId: string;
  stepTag: string;
  /** CPU microseconds used so far by the server under test. */
  serverCpuMicros: () => Promise<number>;
  /** Other client activity during the step (typing, reconnects, read marks); its cost counts in the step's. */
  sideLoad?: SideLoad;
}

/** Client activity running alongside a step's messages. */
export interface SideLoad {
  /** Called at every send tick with the milliseconds since the step began. */
  tick(elapsedMs: number): void;
  /** Called once the last message is sent: starts nothing new and waits, boundedly, for what is under way. */
  settle(): Promise<void>;
}

export interface StepResult extends DeliveryCheck {
  rate: number;
  sent: number;
  recipients: number;
  expected: number;
  /** Deliveries per second from the first send to the last delivery. */
  deliveredPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Share of one core used by each process during the step. */
  serverCpu: number;
  /** CPU microseconds the server used from the first send until every delivery arrived (or the drain gave up). */
  serverCpuMicros: number;
  /** Milliseconds from the first send until the CPU was read. */
  elapsedMs: number;
  loadGeneratorCpu: number;
  passed: boolean;
  /** Why the step failed: 'latency', 'loss' (including duplicates and errors), or none. */
  failure: 'latency' | 'loss' | undefined;
}

/**
 * Sends `rate` messages per second for `seconds`, spread over the senders in small ticks, then waits until
 * every client has every message (or the drain time is up) and checks that each arrived exactly once.
 */
export async function runStep(clients: FanoutClients, options: StepOptions): Promise<StepResult> {
  const total = Math.max(1, Math.round(options.rate * options.seconds));
  const recipients = clients.size;
  const expected = total * recipients;
  clients.beginStep();
  const serverCpuBefore = await options.serverCpuMicros();
  const cpuBefore = process.cpuUsage();
  const startedAt = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - startedAt) / 1000) * options.rate) + 1);
    for (; sent < due; sent++) clients.send(sent % options.senders, options.roomId, options.stepTag);
    options.sideLoad?.tick(performance.now() - startedAt);
    await sleep(TICK_MS);
  }
  await options.sideLoad?.settle();
  await waitUntil(() => clients.delivered >= expected, DRAIN_TIMEOUT_MS);
  const endedAt = Math.max(clients.lastReceivedAt, startedAt + 1);
  const cpu = process.cpuUsage(cpuBefore);
  const serverCpuMicros = (await options.serverCpuMicros()) - serverCpuBefore;
  const elapsedMs = performance.now() - startedAt;
  const serverCpu = serverCpuMicros / (elapsedMs * 1000);
  const loadGeneratorCpu = (cpu.user + cpu.system) / (elapsedMs * 1000);
  await sleep(DUPLICATE_GRACE_MS);

  const check = clients.check(total);
  const p99Ms = clients.latency.quantile(0.99);
  const lossFree = check.exact === recipients && check.delivered === expected;
  const failure = !lossFree ? 'loss' : p99Ms >= P99_LIMIT_MS ? 'latency' : undefined;
  return {
    ...check,
    rate: options.rate,
    sent: total,
    recipients,
    expected,
    deliveredPerSecond: check.delivered / ((endedAt - startedAt) / 1000),
    p50Ms: clients.latency.quantile(0.5),
    p99Ms,
    maxMs: clients.latency.max,
    serverCpu,
    serverCpuMicros,
    elapsedMs,
    loadGeneratorCpu,
    passed: failure === undefined,
    failure,
  };
}
