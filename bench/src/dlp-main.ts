// `npm run bench:dlp`: the room fan-out section of `npm run bench` on its own — Enclave without and with the 100 DLP
// rules (which read every message normalised), swept side by side on the same server and clients — for checking
// DLP's cost without the hour-long rest of the bench. Prints each step and a final `BENCH_DLP_RESULT {json}` line.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { measureCpuAvailability } from './cpu-availability';
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { BenchDlpRules, benchDlpRules } from './dlp-rules';
import { createChannel, createSignedInUsers, fanoutServerEnv, signInAdmin } from './enclave-setup';
import { runFanoutPhase } from './fanout-phase';
import { formatStep, TARGETS } from './report';
import { runBench } from './run-bench';
import { ServerProcess } from './server-process';

/** The same workload as the full bench's fan-out section. */
const FANOUT_RECIPIENTS = 1_000;
const FANOUT_SENDERS = 10;
const STEP_SECONDS = 3;
const START_RATE = 25;
const MAX_STEPS_PER_SERVER = 12;
const RATE_RESOLUTION = 1.1;
const TIME_LIMIT_MS = 15 * 60_000;

async function main(): Promise<void> {
  const loadGeneratorPinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  const cpuAvailability = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailability * 100)}%`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-bench-dlp-'));
  const adminPassword = randomBytes(12).toString('hex');
  const env = fanoutServerEnv(dataDir, adminPassword);
  let server: ServerProcess | undefined;
  try {
    server = await ServerProcess.start('enclave', { env, pin: loadGeneratorPinned });
    const running = server;
    const admin = await signInAdmin(server.url, adminPassword);
    const users = await createSignedInUsers(admin, FANOUT_RECIPIENTS);
    const channel = await createChannel(admin, 'fan-out', users);
    const dlpRules = await BenchDlpRules.create(admin, benchDlpRules(channel), { roomId: channel.id, serverCpuMicros: () => running.cpuMicros() });
    log(`room fan-out: ${FANOUT_RECIPIENTS} clients, ${FANOUT_SENDERS} sending, ${STEP_SECONDS} s per step; without and with ${dlpRules.size} DLP rules`);
    const fanout = await runFanoutPhase(
      { server, users, roomId: channel.id, dlpRules },
      { pin: loadGeneratorPinned, senders: FANOUT_SENDERS, seconds: STEP_SECONDS, startRate: START_RATE, maxSteps: MAX_STEPS_PER_SERVER, resolution: RATE_RESOLUTION, onStep: (lane, step) => log(formatStep(lane, step)) },
    );
    const without = fanout.enclave.best?.deliveredPerSecond ?? 0;
    const withRules = fanout.dlp.best?.deliveredPerSecond ?? 0;
    const ratio = without > 0 ? withRules / without : null;
    log(`DLP throughput ratio, 100 rules with normalisation / no rules: ${ratio === null ? 'n/a' : ratio.toFixed(2)} (target >= ${TARGETS.dlpThroughputRatio})`);
    console.log(`BENCH_DLP_RESULT ${JSON.stringify({ cpuAvailability, withoutRulesDeliveredPerSecond: Math.round(without), withRulesDeliveredPerSecond: Math.round(withRules), throughputRatio: ratio })}`);
    await dlpRules.remove();
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function log(line: string): void {
  console.log(`[bench:dlp] ${line}`);
}

runBench('bench:dlp', TIME_LIMIT_MS, main);
