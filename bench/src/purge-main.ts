// `npm run bench:purge`: fan-out while the retention purge erases a million messages, sweep after sweep for the
// whole purge, against the idle figure of the same run (before and after); the verdict reads the sweeps' median. Prints each step, the summary and a final `BENCH_PURGE {json}` line. The 1,000,000
// messages are the search bench's data set: with ENCLAVE_BENCH_SEARCH_CACHE set it is generated once and reused.
import { cpus } from 'node:os';
import { measureCpuAvailability } from './cpu-availability';
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { BENCH_PURGE_SETTINGS, runPurgePhase } from './purge-phase';
import { formatStep } from './report';
import { runBench } from './run-bench';
import { searchCacheDir } from './search-dataset';

/**
 * How long the sweeps may wait for the purge: BENCH_PURGE_SETTINGS.maxPurgeSeconds, or ENCLAVE_BENCH_PURGE_SECONDS
 * (shorter, to compare two versions of the purge on the same first part of it in one sitting; such a run reports
 * the purge as still running and cannot pass).
 */
const MAX_PURGE_SECONDS = Number(process.env.ENCLAVE_BENCH_PURGE_SECONDS || BENCH_PURGE_SETTINGS.maxPurgeSeconds);
/** Generating the data set takes minutes, then the purge under the sweeps takes up to MAX_PURGE_SECONDS. */
const TIME_LIMIT_MS = 15 * 60_000 + MAX_PURGE_SECONDS * 1000;
/** The purge may cost fan-out at most a tenth of its idle figure. */
const TARGET_SHARE = 0.9;

async function main(): Promise<void> {
  const pinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  log(`load generator ${pinned ? `pinned to core ${LOAD_GENERATOR_CORE}` : 'not pinned (no taskset or a single core)'}`);
  const cpuAvailabilityBefore = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityBefore * 100)}%`);
  const result = await runPurgePhase({ ...BENCH_PURGE_SETTINGS, maxPurgeSeconds: MAX_PURGE_SECONDS }, { pin: pinned, cacheDir: searchCacheDir(), log, onStep: (lane, step) => log(formatStep(lane, step)) });
  const cpuAvailabilityAfter = await measureCpuAvailability();
  const best = (lane: typeof result.idleAfter) => lane?.best?.deliveredPerSecond ?? 0;
  const idle = Math.max(best(result.idleBefore), best(result.idleAfter));
  const during = result.duringPurge.map((sweep) => best(sweep.lane));
  const shares = during.map((figure) => (idle === 0 ? 0 : figure / idle));
  const share = median(shares);
  const erased = result.messagesBefore - result.messagesAfter;
  const json = {
    machine: { node: process.version, cores: cpus().length, pinned, cpuAvailabilityBefore, cpuAvailabilityAfter },
    messagesBefore: result.messagesBefore,
    messagesAfter: result.messagesAfter,
    purgeSeconds: result.purgeSeconds,
    purgeFinished: result.finished,
    purgedPerSecond: erased / Math.max(1, result.purgeSeconds),
    sweepsDuringPurge: result.duringPurge.map((sweep, index) => ({ deliveriesPerSecond: during[index], erased: sweep.erasedAfter - sweep.erasedBefore, seconds: sweep.seconds, loopDelayP99Ms: sweep.loopDelay.p99Ms, loopDelayMaxMs: sweep.loopDelay.maxMs })),
    deliveriesPerSecond: { idleBefore: best(result.idleBefore), duringPurgeMedian: median(during), duringPurgeLowest: Math.min(...during), idleAfter: best(result.idleAfter) },
    loopDelay: { idle: result.idleLoopDelay, duringPurgeP99MsMedian: median(result.duringPurge.map((sweep) => sweep.loopDelay.p99Ms)), duringPurgeMaxMs: Math.max(...result.duringPurge.map((sweep) => sweep.loopDelay.maxMs)) },
    shareOfIdle: share,
    lowestShareOfIdle: Math.min(...shares),
    target: TARGET_SHARE,
    passed: result.finished && share >= TARGET_SHARE,
  };
  console.log('');
  console.log(`fan-out idle (best of before/after)     ${Math.round(idle)} deliveries/s`);
  console.log(`fan-out while purging (median of ${during.length})   ${Math.round(median(during))} deliveries/s  (${(share * 100).toFixed(0)} % of idle, lowest sweep ${(json.lowestShareOfIdle * 100).toFixed(0)} %, target ${TARGET_SHARE * 100} %)`);
  console.log(`purge                                   ${erased.toLocaleString('en-US')} messages in ${result.purgeSeconds.toFixed(0)} s (${Math.round(json.purgedPerSecond)}/s)${result.finished ? '' : ', still running when the bench stopped waiting'}`);
  const { idle: idleDelay, duringPurgeP99MsMedian, duringPurgeMaxMs } = json.loopDelay;
  console.log(`server event-loop delay                 idle sweep p99 ${idleDelay.p99Ms.toFixed(0)} ms, max ${idleDelay.maxMs.toFixed(0)} ms; sweeps under purge p99 ${duringPurgeP99MsMedian.toFixed(0)} ms (median), max ${duringPurgeMaxMs.toFixed(0)} ms`);
  console.log(`\nBENCH_PURGE ${JSON.stringify(json)}`);
}

function median(values: readonly number[]): number {
  if (values.length === 0) return 0;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

function log(line: string): void {
  console.log(`[bench:purge] ${line}`);
}

runBench('bench:purge', TIME_LIMIT_MS, main);
