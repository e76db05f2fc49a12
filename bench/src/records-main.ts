// `npm run bench:records`: compliance search (issue 15) at 1,000,000 messages on SQLite, on the data set of
// `bench:search` (ENCLAVE_BENCH_SEARCH_CACHE shares its cache). Target: p95 under 200 ms for every query kind.
// Prints one line per kind and `RECORDS_RESULT {json}`.
import { cpus } from 'node:os';
import { measureCpuAvailability } from './cpu-availability';
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { runRecordsPhase } from './records-phase';
import { runBench } from './run-bench';
import { searchCacheDir } from './search-dataset';
import { BENCH_SEARCH_SETTINGS } from './search-phase';

const TIME_LIMIT_MS = 25 * 60_000;
const TARGET_P95_MS = 200;

async function main(): Promise<void> {
  const pinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  const cpuAvailability = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailability * 100)}%`);
  const { messages, users, rooms, membersPerRoom } = BENCH_SEARCH_SETTINGS;
  const result = await runRecordsPhase({ messages, users, rooms, membersPerRoom, requestsPerKind: 100, changingMembers: 100, pin: pinned, cacheDir: searchCacheDir() }, log);
  const worst = Math.max(...Object.values(result.kinds).map((kind) => kind.p95Ms));
  console.log(`\ncompliance search p95 (all kinds)    ${result.all.p95Ms.toFixed(1)} ms; worst kind ${worst.toFixed(1)} ms; target < ${TARGET_P95_MS} ms: ${worst < TARGET_P95_MS ? 'met' : 'MISSED'}`);
  console.log(`\nRECORDS_RESULT ${JSON.stringify({ machine: { node: process.version, cores: cpus().length, pinned, cpuAvailability }, ...result })}`);
}

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

runBench('bench:records', TIME_LIMIT_MS, main);
