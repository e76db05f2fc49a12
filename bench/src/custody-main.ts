// `npm run bench:custody`: the encryption-at-rest section of `npm run bench` on its own — fan-out and persisted
// sends on two identical servers, one with ENCLAVE_ENCRYPTION=off, taking turns; room deletion with SQLite's
// secure_delete on and off; AES-256-GCM seal and open of a 200-byte text in process. Prints each step, the summary
// rows and a final `BENCH_CUSTODY {json}` line. (History and search at 1,000,000 encrypted messages are
// `npm run bench:search`.)
import { cpus } from 'node:os';
import { measureCpuAvailability } from './cpu-availability';
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { BENCH_CUSTODY_SETTINGS, runCustodyPhase } from './custody-phase';
import { custodyJson, custodyRows } from './custody-report';
import { formatStep } from './report';
import { runBench } from './run-bench';

/** Setting up 2 × 1,000 users, two sweeps taking turns, 6 rounds of sends, 40 deletions: about six minutes. */
const TIME_LIMIT_MS = 20 * 60_000;

async function main(): Promise<void> {
  const pinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  log(`load generator ${pinned ? `pinned to core ${LOAD_GENERATOR_CORE}` : 'not pinned (no taskset or a single core)'}`);
  const cpuAvailabilityBefore = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityBefore * 100)}%`);
  const result = await runCustodyPhase(BENCH_CUSTODY_SETTINGS, { pin: pinned, log, onStep: (lane, step) => log(formatStep(lane, step)) });
  const cpuAvailabilityAfter = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityAfter * 100)}% (before: ${Math.round(cpuAvailabilityBefore * 100)}%)`);
  const json = { machine: { node: process.version, cores: cpus().length, pinned, cpuAvailabilityBefore, cpuAvailabilityAfter }, ...custodyJson(result) };
  console.log('');
  for (const [measure, value, detail] of custodyRows(json)) console.log(`${measure.padEnd(38)} ${value.padEnd(16)} ${detail}`);
  console.log(`\nBENCH_CUSTODY ${JSON.stringify(json)}`);
}

function log(line: string): void {
  console.log(`[bench:custody] ${line}`);
}

runBench('bench:custody', TIME_LIMIT_MS, main);
