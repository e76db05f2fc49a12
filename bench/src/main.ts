// `npm run bench`: measures Enclave's room fan-out against a bare `ws` broadcast server and with 100 DLP rules
// switched on, what the rules, typing, presence and read receipts add to plain messaging, the server's memory per
// idle stream, its persisted sends per second on SQLite, whether it stays responsive (/healthz p99 against idle)
// under large PDFs, many connecting streams and password guessing, what encryption at rest costs fan-out and
// persisted sends (the same server with encryption on and off, taking turns) and what SQLite's secure_delete adds
// to deleting a room, search and history at 1,000,000 encrypted messages, and what fingerprints add to uploading a
// 5 MB photo, in one run. Each server runs in its own process pinned to core 0 and this process, the load generator, to core 1 (where
// taskset and two cores exist).
// Prints a table and a final `BENCH_RESULT {json}` line, also written to bench/results/latest.json.
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { measureCpuAvailability } from './cpu-availability';
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { BenchDlpRules, benchDlpRules } from './dlp-rules';
import { BENCH_CUSTODY_SETTINGS, runCustodyPhase } from './custody-phase';
import { createChannel, createSignedInUsers, fanoutServerEnv, signInAdmin } from './enclave-setup';
import { runFanoutPhase } from './fanout-phase';
import { measureIdleMemory } from './idle-memory';
import { measurePersistedSends } from './persisted-sends';
import { measureRealtimeCosts } from './realtime-costs';
import { formatCostStep, formatStep, formatSummary, toResultJson, type BenchReport } from './report';
import { RESPONSIVE_SETTINGS } from './responsive-report';
import { measureResponsiveness } from './responsiveness';
import { runBench } from './run-bench';
import { searchCacheDir } from './search-dataset';
import { BENCH_SEARCH_SETTINGS, runSearchPhase } from './search-phase';
import { ServerProcess } from './server-process';
import { formatUploadFingerprinting, measureUploadFingerprinting } from './upload-fingerprints';

const FANOUT_RECIPIENTS = 1_000;
const FANOUT_SENDERS = 10;
const STEP_SECONDS = 3;
const START_RATE = 25;
const MAX_STEPS_PER_SERVER = 12;
/** The sweep stops once the first failing rate is within 10% of the last passing one. */
const RATE_RESOLUTION = 1.1;
/** Cost steps: plain messaging at half Enclave's best swept rate, and with typing, presence churn or read marks. */
const COST_STEP_SECONDS = 4;
const COST_ROUNDS = 2;
const COST_TYPISTS = 100;
const TYPING_INTERVAL_MS = 1_000;
const PRESENCE_WATCHES = 50;
const PRESENCE_CHURNERS = 100;
const READ_INTERVAL_MS = 1_000;
/** Rooms of up to 200 members tell every member who read what (`room.read_by`). */
const READ_BY_GROUP_MEMBERS = 200;
const IDLE_STREAMS = 10_000;
const PERSIST_SENDERS = 200;
const PERSIST_SECONDS = 5;
const PERSIST_WINDOW = 4;
/** The bench ends by itself even if something hangs; every wait inside has its own, shorter, bound too. */
const TIME_LIMIT_MS = 22 * 60_000;

const resultFile = fileURLToPath(new URL('../results/latest.json', import.meta.url));

async function main(): Promise<void> {
  const startedAt = performance.now();
  const loadGeneratorPinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  log(`load generator ${loadGeneratorPinned ? `pinned to core ${LOAD_GENERATOR_CORE}` : 'not pinned (no taskset or a single core)'}`);
  const cpuAvailabilityBefore = await measureCpuAvailability();
  log(`CPU available to a busy process: ${Math.round(cpuAvailabilityBefore * 100)}%`);

  const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-bench-'));
  const adminPassword = randomBytes(12).toString('hex');
  const env = fanoutServerEnv(dataDir, adminPassword);
  let server: ServerProcess | undefined;
  try {
    server = await ServerProcess.start('enclave', { env, pin: loadGeneratorPinned });
    const serverPinned = server.pinned;
    log(`setup: ${IDLE_STREAMS} users signed in, a channel with ${FANOUT_RECIPIENTS} of them`);
    const admin = await signInAdmin(server.url, adminPassword);
    const users = await createSignedInUsers(admin, Math.max(IDLE_STREAMS, FANOUT_RECIPIENTS, PERSIST_SENDERS));
    const fanoutUsers = users.slice(0, FANOUT_RECIPIENTS);
    const channel = await createChannel(admin, 'fan-out', fanoutUsers);
    // The rules live in this server process; `server` is replaced by a fresh one for the idle-memory phase.
    const fanoutServer = server;
    const dlpRuleInputs = benchDlpRules(channel);
    const dlpRules = await BenchDlpRules.create(admin, dlpRuleInputs, { roomId: channel.id, serverCpuMicros: () => fanoutServer.cpuMicros() });
    log(`DLP: ${dlpRules.size} rules created switched off, all covering the channel, none matching bench messages`);

    log(`room fan-out: ${FANOUT_RECIPIENTS} clients, ${FANOUT_SENDERS} of them sending, ${STEP_SECONDS} s per step; Enclave without and with the DLP rules`);
    const fanout = await runFanoutPhase(
      { server, users: fanoutUsers, roomId: channel.id, dlpRules },
      {
        pin: loadGeneratorPinned,
        senders: FANOUT_SENDERS,
        seconds: STEP_SECONDS,
        startRate: START_RATE,
        maxSteps: MAX_STEPS_PER_SERVER,
        resolution: RATE_RESOLUTION,
        onStep: (lane, step) => log(formatStep(lane, step)),
      },
    );

    const costRate = Math.max(1, Math.round((fanout.enclave.best?.rate ?? START_RATE) / 2));
    log(
      `realtime costs: ${FANOUT_RECIPIENTS} clients at ${costRate} msg/s, ${COST_STEP_SECONDS} s steps, ${COST_ROUNDS} rounds of plain, ${dlpRules.size} DLP rules, ` +
        `typing (${COST_TYPISTS} typists), presence churn (${PRESENCE_CHURNERS} reconnects, ${PRESENCE_WATCHES} watches each), read marks; ` +
        `then plain and read marks in a ${READ_BY_GROUP_MEMBERS}-member group`,
    );
    const costs = await measureRealtimeCosts(
      { server, users: fanoutUsers, channelId: channel.id, dlpRules },
      {
        rate: costRate,
        seconds: COST_STEP_SECONDS,
        senders: FANOUT_SENDERS,
        rounds: COST_ROUNDS,
        typists: COST_TYPISTS,
        typingIntervalMs: TYPING_INTERVAL_MS,
        watchesPerClient: PRESENCE_WATCHES,
        churners: PRESENCE_CHURNERS,
        readIntervalMs: READ_INTERVAL_MS,
        groupMembers: READ_BY_GROUP_MEMBERS,
        onStep: (room, step) => log(formatCostStep(room, step)),
      },
    );
    await dlpRules.remove();

    // A fresh server process, so that the memory the fan-out left behind cannot hide or inflate the figure.
    await server.stop();
    server = await ServerProcess.start('enclave', { env, pin: loadGeneratorPinned });
    log(`idle memory: opening ${IDLE_STREAMS} streams`);
    const idleMemory = await measureIdleMemory(server, users.slice(0, IDLE_STREAMS));

    log(`persisted sends: ${PERSIST_SENDERS} senders for ${PERSIST_SECONDS} s`);
    const persisted = await measurePersistedSends(server, users.slice(0, PERSIST_SENDERS), { seconds: PERSIST_SECONDS, window: PERSIST_WINDOW });

    log(`stays responsive: /healthz from its own connection while idle, then while ${RESPONSIVE_SETTINGS.pdfSends} ${RESPONSIVE_SETTINGS.pdfPages}-page PDFs are sent, ${RESPONSIVE_SETTINGS.sockets} streams connect and passwords are guessed`);
    const responsive = await measureResponsiveness(server.url, users.slice(0, RESPONSIVE_SETTINGS.sockets), RESPONSIVE_SETTINGS, log);
    await server.stop();

    log(
      `encryption at rest: two servers, encryption on and off, taking turns at fan-out (${BENCH_CUSTODY_SETTINGS.fanoutRecipients} clients) and ` +
        `${BENCH_CUSTODY_SETTINGS.persistRounds} rounds of persisted sends each; room deletion with secure_delete on and off`,
    );
    const custody = await runCustodyPhase(BENCH_CUSTODY_SETTINGS, { pin: loadGeneratorPinned, log, onStep: (lane, step) => log(formatStep(`custody ${lane}`, step)) });

    const search = await runSearchPhase({ ...BENCH_SEARCH_SETTINGS, pin: loadGeneratorPinned, cacheDir: searchCacheDir() }, log);
    const uploadFingerprinting = await measureUploadFingerprinting({ pin: loadGeneratorPinned }, log);
    log(formatUploadFingerprinting(uploadFingerprinting));

    const cpuAvailabilityAfter = await measureCpuAvailability();
    const report: BenchReport = {
      machine: { node: process.version, cores: cpus().length, loadGeneratorPinned, serverPinned, cpuAvailabilityBefore, cpuAvailabilityAfter },
      fanout: { ...fanout, recipients: FANOUT_RECIPIENTS, senders: FANOUT_SENDERS, stepSeconds: STEP_SECONDS },
      costs,
      dlp: { rules: dlpRuleInputs, reloadCpuMicros: dlpRules.reloadCpuMicros },
      idleMemory,
      persisted,
      responsive,
      custody,
      search,
      durationSeconds: (performance.now() - startedAt) / 1000,
    };
    const json = JSON.stringify({ ...toResultJson(report), uploadFingerprinting });
    mkdirSync(path.dirname(resultFile), { recursive: true });
    writeFileSync(resultFile, `${json}\n`);
    console.log(`\n${formatSummary(report)}\n`);
    console.log(`BENCH_RESULT ${json}`);
  } finally {
    await server?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

runBench('bench', TIME_LIMIT_MS, main);
