import type { BenchDlpRules } from './dlp-rules';
import type { BenchUser } from './enclave-setup';
import { FanoutClients } from './fanout-clients';
import { sweepLanes, type LaneResult, type SweepOptions } from './fanout-sweep';
import { ServerProcess } from './server-process';

export interface FanoutPhaseResult {
  enclave: LaneResult;
  baseline: LaneResult;
  /** Enclave with the DLP rules switched on, on the same server and clients as `enclave`. */
  dlp: LaneResult;
  baselinePinned: boolean;
}

/**
 * The room fan-out workload against Enclave (its signed-in users in one channel), against Enclave with the DLP
 * rules switched on (the same server and clients, the rules switched before each step) and against the baseline
 * broadcast server (the same number of anonymous clients), swept side by side.
 */
export async function runFanoutPhase(
  enclave: { server: ServerProcess; users: readonly BenchUser[]; roomId: string; dlpRules: BenchDlpRules },
  options: SweepOptions & { pin: boolean },
): Promise<FanoutPhaseResult> {
  const baseline = await ServerProcess.start('baseline', { pin: options.pin });
  let enclaveClients: FanoutClients | undefined;
  let baselineClients: FanoutClients | undefined;
  try {
    enclaveClients = await FanoutClients.open({ kind: 'enclave', baseUrl: enclave.server.url, users: enclave.users }, options.senders);
    baselineClients = await FanoutClients.open({ kind: 'baseline', baseUrl: baseline.url, clients: enclave.users.length }, options.senders);
    const onEnclave = { clients: enclaveClients, roomId: enclave.roomId, serverCpuMicros: () => enclave.server.cpuMicros() };
    const results = await sweepLanes(
      [
        { name: 'baseline', clients: baselineClients, roomId: 'baseline', serverCpuMicros: () => baseline.cpuMicros() },
        { name: 'enclave', ...onEnclave, prepare: () => enclave.dlpRules.disable() },
        { name: 'enclave+dlp', ...onEnclave, prepare: () => enclave.dlpRules.enable() },
      ],
      options,
    );
    return {
      enclave: results.get('enclave')!,
      baseline: results.get('baseline')!,
      dlp: results.get('enclave+dlp')!,
      baselinePinned: baseline.pinned,
    };
  } finally {
    // Later phases run without the rules; only the DLP lane's steps leave them on.
    await enclave.dlpRules.disable();
    await enclaveClients?.close();
    await baselineClients?.close();
    await baseline.stop();
  }
}
