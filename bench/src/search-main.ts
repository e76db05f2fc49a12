// `npm run bench:search`: only the search phase of `npm run bench` (search and history at 1,000,000 messages on
// SQLite), with the same settings and pinning. Prints the phase's summary rows and `SEARCH_RESULT {json}`; with
// ENCLAVE_BENCH_SEARCH_CACHE set, the generated data set is kept there and reused by the next run.
import { cpus } from 'node:os';
import { measureCpuAvailability } from './cpu-availability';
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { runBench } from './run-bench';
import { searchCacheDir } from './search-dataset';
import { BENCH_SEARCH_SETTINGS, runSearchPhase } from './search-phase';
import { searchJson, searchRows } from './search-report';

/** Generating the data set takes a few minutes; measuring it, two or three. */
const TIME_LIMIT_MS = 20 * 60_000;

async function main(): Promise<void> {
  const pinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  log(`load generator ${pinned ? `pinned to core ${LOAD_GENERATOR_CORE}` : 'not pinned (no taskset or a single core)'}`);
  const cpuAvailabilityBefore = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityBefore * 100)}%`);
  const result = await runSearchPhase({ ...BENCH_SEARCH_SETTINGS, pin: pinned, cacheDir: searchCacheDir() }, log);
  const cpuAvailabilityAfter = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityAfter * 100)}% (before: ${Math.round(cpuAvailabilityBefore * 100)}%)`);
  const json = { machine: { node: process.version, cores: cpus().length, pinned, cpuAvailabilityBefore, cpuAvailabilityAfter }, ...searchJson(result) };
  console.log('');
  for (const [measure, value, detail] of searchRows(json)) console.log(`${measure.padEnd(44)} ${value.padEnd(14)} ${detail}`);
  console.log(`\nSEARCH_RESULT ${JSON.stringify(json)}`);
}

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

runBench('bench:search', TIME_LIMIT_MS, main);
