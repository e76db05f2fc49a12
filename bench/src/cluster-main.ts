// `npm run bench:cluster`: issue 18's figures on their own — one node alone and two and three nodes linked by NATS,
// all on PostgreSQL and pinned to the server core, their lanes taking turns at fixed rates: the cluster's CPU per
// delivery as a ratio to one node (the verdict), the p99 that crossing nodes adds, the cost split per send and per
// delivery, and the capacity table computed from it. Prints each turn, the summary rows and `BENCH_CLUSTER {json}`.
import { cpus } from 'node:os';
import { BENCH_CLUSTER_SETTINGS, runClusterPhase } from './cluster-phase';
import { clusterJson, clusterRows, formatClusterTurn } from './cluster-report';
import { measureCpuAvailability } from './cpu-availability';
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { runBench } from './run-bench';

/** Setting up three installations with 210 users each and 30 turns of three seconds: about four minutes. */
const TIME_LIMIT_MS = 12 * 60_000;

async function main(): Promise<void> {
  const startedAt = performance.now();
  const pinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  log(`load generator ${pinned ? `pinned to core ${LOAD_GENERATOR_CORE}` : 'not pinned (no taskset or a single core)'}`);
  const cpuAvailabilityBefore = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityBefore * 100)}%`);
  const result = await runClusterPhase(BENCH_CLUSTER_SETTINGS, { pin: pinned, log, onStep: (lane, step) => log(formatClusterTurn(lane, step)) });
  const cpuAvailabilityAfter = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityAfter * 100)}% (before: ${Math.round(cpuAvailabilityBefore * 100)}%)`);
  const json = {
    machine: { node: process.version, cores: cpus().length, pinned, cpuAvailabilityBefore, cpuAvailabilityAfter },
    durationSeconds: Math.round((performance.now() - startedAt) / 1000),
    ...clusterJson(result),
  };
  console.log('');
  for (const [measure, value, detail] of clusterRows(json)) console.log(`${measure.padEnd(40)} ${value.padEnd(12)} ${detail}`);
  console.log(`\nBENCH_CLUSTER ${JSON.stringify(json)}`);
}

function log(line: string): void {
  console.log(`[bench:cluster] ${line}`);
}

runBench('bench:cluster', TIME_LIMIT_MS, main);
