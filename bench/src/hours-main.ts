// `npm run bench:hours`: issue 17's fan-out figure on its own — one server, one 1,000-member channel, the same
// clients taking turns with everyone at work and with 500 members on leave (off work), a sweep and then fixed-rate
// turns; the verdict is server CPU per delivery at the fixed rate. Prints each step, the summary rows and a final
// `BENCH_HOURS {json}` line.
import { cpus } from 'node:os';
import { measureCpuAvailability } from './cpu-availability';
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { BENCH_HOURS_SETTINGS, runHoursPhase } from './hours-phase';
import { formatQuiet, hoursJson, hoursRows } from './hours-report';
import { formatStep } from './report';
import { runBench } from './run-bench';

/** Setting up 1,000 users, a sweep of two lanes, 10 fixed-rate turns and their leave switches: about seven minutes. */
const TIME_LIMIT_MS = 15 * 60_000;

async function main(): Promise<void> {
  const pinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  log(`load generator ${pinned ? `pinned to core ${LOAD_GENERATOR_CORE}` : 'not pinned (no taskset or a single core)'}`);
  const cpuAvailabilityBefore = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityBefore * 100)}%`);
  const result = await runHoursPhase(BENCH_HOURS_SETTINGS, { pin: pinned, log, onStep: (lane, step, quiet) => log(`${formatStep(lane, step)}  ${formatQuiet(quiet)}`) });
  const cpuAvailabilityAfter = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityAfter * 100)}% (before: ${Math.round(cpuAvailabilityBefore * 100)}%)`);
  const json = { machine: { node: process.version, cores: cpus().length, pinned, cpuAvailabilityBefore, cpuAvailabilityAfter }, ...hoursJson(result) };
  console.log('');
  for (const [measure, value, detail] of hoursRows(json)) console.log(`${measure.padEnd(38)} ${value.padEnd(10)} ${detail}`);
  console.log(`\nBENCH_HOURS ${JSON.stringify(json)}`);
}

function log(line: string): void {
  console.log(`[bench:hours] ${line}`);
}

runBench('bench:hours', TIME_LIMIT_MS, main);
