import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EnclaveClient } from '@enclave/sdk';
import type { SecureDeleteMode, StorageFigures } from './bench-ipc';
import { createChannel, createSignedInUsers, fanoutServerEnv, signInAdmin, type BenchUser } from './enclave-setup';
import { FanoutClients } from './fanout-clients';
import { runStep, type StepResult } from './fanout-step';
import { sweepLanes, type LaneResult, type SweepLane, type SweepOptions, type SweepStep } from './fanout-sweep';
import { PersistedSendLoad, type PersistResult } from './persisted-sends';
import { measureSealCost, SEAL_COST_SETTINGS, type SealCostFigures, type SealCostSettings } from './seal-cost';
import { ServerProcess } from './server-process';

/**
 * Issue 14's figures for encryption at rest, all from one run: the same server started twice, identical but for
 * ENCLAVE_ENCRYPTION (off on the baseline), taking turns at the fan-out sweep and at rounds of persisted sends;
 * what SQLite's `secure_delete` adds to deleting a room, on the encrypted server, switched on and off room by room;
 * and what sealing and opening a text costs in process.
 */
export interface CustodySettings {
  fanoutRecipients: number;
  fanoutSenders: number;
  stepSeconds: number;
  startRate: number;
  maxSteps: number;
  resolution: number;
  /**
   * Rounds of one fixed-rate step per lane after the sweep, the lanes taking turns, at `fixedRateShare` of the
   * lower lane's best rate: server CPU per delivery at the same load, the figure the verdict reads.
   */
  fixedRateRounds: number;
  fixedRateShare: number;
  persistSenders: number;
  persistSeconds: number;
  persistWindow: number;
  /** Rounds of persisted sends per lane, the lanes taking turns; the figure is each lane's median round. */
  persistRounds: number;
  /** Rooms the persisted sends filled that are then deleted, alternately with `secure_delete` on and off. */
  deletions: number;
  seal: SealCostSettings;
}

/** The full bench's sizes: the fan-out and persisted-sends workloads of `npm run bench`. */
export const BENCH_CUSTODY_SETTINGS = {
  fanoutRecipients: 1_000,
  fanoutSenders: 10,
  stepSeconds: 3,
  startRate: 25,
  maxSteps: 12,
  resolution: 1.1,
  fixedRateRounds: 5,
  fixedRateShare: 0.6,
  persistSenders: 200,
  persistSeconds: 5,
  persistWindow: 4,
  persistRounds: 3,
  deletions: 40,
  seal: SEAL_COST_SETTINGS,
} as const satisfies CustodySettings;

export type CustodyLaneName = 'encrypted' | 'plain';

export interface DeletionTiming {
  secureDelete: boolean;
  ms: number;
  messages: number;
}

export interface CustodyResult {
  settings: CustodySettings;
  /** Each lane's storage as its server reports it: whether it encrypts, and its own `secure_delete` setting. */
  storage: Record<CustodyLaneName, StorageFigures>;
  fanout: Record<CustodyLaneName, LaneResult>;
  /** The fixed-rate steps after the sweep, per lane, in the order run. */
  fixedRate: Record<CustodyLaneName, StepResult[]>;
  persisted: Record<CustodyLaneName, PersistResult[]>;
  /** Message bodies stored sealed, of all stored, per lane after the load: proof of what each lane measured. */
  sealedBodies: Record<CustodyLaneName, { sealed: number; total: number }>;
  /** Room deletions on the encrypted server, in the order run, alternating `secure_delete` on and off. */
  deletions: DeletionTiming[];
  seal: SealCostFigures;
}

export const CUSTODY_LANES: readonly CustodyLaneName[] = ['plain', 'encrypted'];

interface Lane {
  name: CustodyLaneName;
  dataDir: string;
  server: ServerProcess;
  admin: EnclaveClient;
  users: BenchUser[];
}

export async function runCustodyPhase(
  settings: CustodySettings,
  options: { pin: boolean; onStep?: (lane: string, step: SweepStep) => void; log: (line: string) => void },
): Promise<CustodyResult> {
  const { log } = options;
  const lanes: Lane[] = [];
  try {
    for (const name of CUSTODY_LANES) lanes.push(await startLane(name, settings, options.pin));
    const storage = await storageOf(lanes);
    log(`custody: ${lanes.length} servers, ${lanes.map((lane) => `${lane.name} (encryption ${storage[lane.name].encrypting ? 'on' : 'off'}, secure_delete ${onOff(storage[lane.name].secureDelete)})`).join(' and ')}`);

    log(`custody: fan-out, ${settings.fanoutRecipients} clients, ${settings.fanoutSenders} sending, ${settings.stepSeconds} s per step, the two servers taking turns`);
    const { fanout, fixedRate } = await sweepFanout(lanes, settings, options.onStep, log);

    log(`custody: persisted sends, ${settings.persistSenders} senders, ${settings.persistRounds} rounds of ${settings.persistSeconds} s per server, taking turns`);
    const loads = await Promise.all(lanes.map((lane) => PersistedSendLoad.open(lane.server, lane.users.slice(0, settings.persistSenders))));
    const persisted: Record<CustodyLaneName, PersistResult[]> = { plain: [], encrypted: [] };
    try {
      for (let round = 0; round < settings.persistRounds; round++) {
        // Which server goes first alternates, so neither always follows the other's checkpoint.
        const order = round % 2 === 0 ? lanes.keys() : [...lanes.keys()].reverse();
        for (const index of order) {
          const result = await loads[index]!.round({ seconds: settings.persistSeconds, window: settings.persistWindow });
          persisted[lanes[index]!.name].push(result);
          log(`custody: persisted sends, ${lanes[index]!.name.padEnd(9)} round ${round + 1}: ${Math.round(result.persistedPerSecond)} msg/s, ack p99 ${result.ackP99Ms.toFixed(1)} ms, server ${Math.round(result.serverCpu * 100)}% CPU, ${result.errors} errors`);
        }
      }
    } finally {
      for (const load of loads) await load.close();
    }

    const sealedBodies = { plain: await laneOf(lanes, 'plain').server.sealedBodies(), encrypted: await laneOf(lanes, 'encrypted').server.sealedBodies() };
    log(`custody: bodies stored sealed: ${CUSTODY_LANES.map((name) => `${name} ${sealedBodies[name].sealed} of ${sealedBodies[name].total}`).join(', ')}`);

    const encrypted = laneOf(lanes, 'encrypted');
    const rooms = loads[lanes.indexOf(encrypted)]!.groups.slice(0, settings.deletions);
    log(`custody: deleting ${rooms.length} rooms on the encrypted server, secure_delete on and off in turn`);
    const deletions = await timeDeletions(encrypted, rooms.map((room) => room.id), storage.encrypted.secureDelete);

    const seal = measureSealCost(settings.seal);
    return { settings, storage, fanout, fixedRate, persisted, sealedBodies, deletions, seal };
  } finally {
    for (const lane of lanes) {
      await lane.server.stop();
      rmSync(lane.dataDir, { recursive: true, force: true });
    }
  }
}

async function startLane(name: CustodyLaneName, settings: CustodySettings, pin: boolean): Promise<Lane> {
  const dataDir = mkdtempSync(path.join(tmpdir(), `enclave-bench-custody-${name}-`));
  try {
    const adminPassword = randomBytes(12).toString('hex');
    const env = { ...fanoutServerEnv(dataDir, adminPassword), ENCLAVE_ENCRYPTION: name === 'encrypted' ? 'on' : 'off' };
    const server = await ServerProcess.start('enclave', { env, pin });
    try {
      const admin = await signInAdmin(server.url, adminPassword);
      const users = await createSignedInUsers(admin, Math.max(settings.fanoutRecipients, settings.persistSenders));
      return { name, dataDir, server, admin, users };
    } catch (error) {
      await server.stop();
      throw error;
    }
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

/** Each server's storage as it reports it; a lane whose server does not encrypt as its name says stops the phase. */
async function storageOf(lanes: readonly Lane[]): Promise<Record<CustodyLaneName, StorageFigures>> {
  const storage = {} as Record<CustodyLaneName, StorageFigures>;
  for (const lane of lanes) {
    storage[lane.name] = await lane.server.storage();
    if (storage[lane.name].encrypting !== (lane.name === 'encrypted')) throw new Error(`the ${lane.name} server reports encryption ${storage[lane.name].encrypting ? 'on' : 'off'}`);
  }
  return storage;
}

/**
 * The sweep finds each lane's highest passing rate, but in steps of `resolution` (10 %), too coarse to tell 0.9
 * from 1.0 by itself. So the same clients then run both lanes, in turns, at one fixed rate well below either
 * limit: server CPU per delivery at the same load. The server is pinned to one core, so its capacity is the
 * inverse of that cost; the median of several turns keeps a slow spell of the machine from deciding the ratio.
 */
async function sweepFanout(
  lanes: readonly Lane[],
  settings: CustodySettings,
  onStep: SweepOptions['onStep'],
  log: (line: string) => void,
): Promise<{ fanout: Record<CustodyLaneName, LaneResult>; fixedRate: Record<CustodyLaneName, StepResult[]> }> {
  const clients: FanoutClients[] = [];
  try {
    const sweepLanesInput: SweepLane[] = [];
    for (const lane of lanes) {
      const users = lane.users.slice(0, settings.fanoutRecipients);
      const channel = await createChannel(lane.admin, 'fan-out', users);
      const laneClients = await FanoutClients.open({ kind: 'enclave', baseUrl: lane.server.url, users }, settings.fanoutSenders);
      clients.push(laneClients);
      sweepLanesInput.push({ name: lane.name, clients: laneClients, roomId: channel.id, serverCpuMicros: () => lane.server.cpuMicros() });
    }
    const results = await sweepLanes(sweepLanesInput, {
      senders: settings.fanoutSenders,
      seconds: settings.stepSeconds,
      startRate: settings.startRate,
      maxSteps: settings.maxSteps,
      resolution: settings.resolution,
      ...(onStep ? { onStep } : {}),
    });
    const fanout = { plain: results.get('plain')!, encrypted: results.get('encrypted')! };
    const lowerBest = Math.min(...CUSTODY_LANES.map((name) => fanout[name].best?.rate ?? 0));
    const fixedRate: Record<CustodyLaneName, StepResult[]> = { plain: [], encrypted: [] };
    // CPU per delivery needs no passing sweep step: on a machine too busy for the sweep's latency bound even at its
    // first rate, the turns run at a share of that rate instead of being skipped.
    const rate = Math.max(1, Math.round((lowerBest > 0 ? lowerBest : settings.startRate) * settings.fixedRateShare));
    log(`custody: fan-out at a fixed ${rate} msg/s, ${settings.fixedRateRounds} turns per server`);
    for (let round = 0; round < settings.fixedRateRounds; round++) {
      const order = round % 2 === 0 ? sweepLanesInput : [...sweepLanesInput].reverse();
      for (const lane of order) {
        const step = await runStep(lane.clients, { seconds: settings.stepSeconds, senders: settings.fanoutSenders, roomId: lane.roomId, serverCpuMicros: lane.serverCpuMicros, rate, stepTag: `fixed-${round}` });
        fixedRate[lane.name as CustodyLaneName].push(step);
        onStep?.(`${lane.name} fixed`, { ...step, attempt: 1 });
        if (step.failure === 'loss') return { fanout, fixedRate };
      }
    }
    return { fanout, fixedRate };
  } finally {
    for (const laneClients of clients) await laneClients.close();
  }
}

/**
 * Freezes and deletes the rooms one at a time through the admin API, switching `secure_delete` on for every other
 * room (outside the timed request), then puts the server's own setting back. The rooms were filled alike by the
 * persisted sends, so the two halves delete the same amount of content.
 */
async function timeDeletions(lane: Lane, roomIds: readonly string[], serverSetting: SecureDeleteMode | null): Promise<DeletionTiming[]> {
  if (serverSetting === null) return [];
  const timings: DeletionTiming[] = [];
  // The bench times the deletion itself, so its records policy keeps no archive: an officer's export of each room
  // (otherwise required since separation of duties) would only add a setup step outside the timed request.
  await lane.admin.endpoint('updateAdminSettings')({ body: { archiveBeforeRoomDeletion: false } });
  try {
    for (const [index, roomId] of roomIds.entries()) {
      const secureDelete = index % 2 === 0;
      const mode = secureDelete ? 'on' : 'off';
      const set = await lane.server.storage(mode);
      if (set.secureDelete !== mode) throw new Error(`secure_delete did not switch ${mode}`);
      await lane.admin.endpoint('freezeRoom')({ params: { roomId }, body: { reason: 'bench: deletion cost' } });
      const startedAt = performance.now();
      const { certificate } = await lane.admin.endpoint('deleteRoom')({ params: { roomId } });
      timings.push({ secureDelete, ms: performance.now() - startedAt, messages: certificate.messagesDeleted });
    }
  } finally {
    await lane.server.storage(serverSetting);
    await lane.admin.endpoint('updateAdminSettings')({ body: { archiveBeforeRoomDeletion: true } });
  }
  return timings;
}

function laneOf(lanes: readonly Lane[], name: CustodyLaneName): Lane {
  return lanes.find((lane) => lane.name === name)!;
}

function onOff(value: SecureDeleteMode | null): string {
  return value ?? 'n/a';
}
