// `npm run bench:stamp`: what stamped downloads cost (issue 16): a 5 MB photo and a 50-page PDF downloaded from a
// marked room and from an unmarked one, interleaved, and the server's event-loop delay while it stamps. Prints a
// table and `BENCH_STAMP {json}`.
import { cpus } from 'node:os';
import { measureCpuAvailability } from './cpu-availability';
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { runBench } from './run-bench';
import { BENCH_STAMP_SETTINGS, runStampPhase } from './stamp-phase';
import { formatStampResult } from './stamp-report';

async function main(): Promise<void> {
  const pinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  const cpuAvailabilityBefore = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityBefore * 100)}%`);
  const result = await runStampPhase(BENCH_STAMP_SETTINGS, { pin: pinned }, log);
  const cpuAvailabilityAfter = await measureCpuAvailability();
  console.log(`\n${formatStampResult(result)}\n`);
  const machine = { node: process.version, cores: cpus().length, pinned, cpuAvailabilityBefore, cpuAvailabilityAfter };
  console.log(`BENCH_STAMP ${JSON.stringify({ machine, ...result })}`);
}

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

runBench('bench:stamp', 15 * 60_000, main);
