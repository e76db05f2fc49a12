import type { CustodyLaneName, CustodyResult, DeletionTiming } from './custody-phase';
import type { SweepStep } from './fanout-sweep';
import type { PersistResult } from './persisted-sends';

/** Issue 14: with encryption on, persisted sends/s and fan-out keep at least this share of the same server's without it. */
export const CUSTODY_TARGETS = { encryptionRatio: 0.9 } as const;

/**
 * The custody figures for BENCH_RESULT. A ratio counts as met only when the encrypted lane really stored every body
 * sealed and the plain lane none: a server that encrypts nothing would otherwise pass by measuring itself twice.
 */
export function custodyJson(result: CustodyResult) {
  const { fanout, persisted, sealedBodies, storage } = result;
  const sealedAsConfigured =
    sealedBodies.encrypted.total > 0 && sealedBodies.encrypted.sealed === sealedBodies.encrypted.total && sealedBodies.plain.sealed === 0;
  const best = (name: CustodyLaneName) => fanout[name].best;
  const perSecond = (name: CustodyLaneName) => best(name)?.deliveredPerSecond ?? 0;
  const perCpuSecond = (step: SweepStep | undefined) => (step && step.serverCpu > 0 ? step.deliveredPerSecond / step.serverCpu : 0);
  const fanoutRatio = perSecond('plain') > 0 ? round(perSecond('encrypted') / perSecond('plain'), 3) : null;
  const fanoutCpuRatio = perCpuSecond(best('plain')) > 0 ? round(perCpuSecond(best('encrypted')) / perCpuSecond(best('plain')), 3) : null;
  const fixedSteps = [...result.fixedRate.plain, ...result.fixedRate.encrypted];
  const lossFree = [...fanout.plain.steps, ...fanout.encrypted.steps, ...fixedSteps].every((step) => step.failure !== 'loss');
  const cpuPerDelivery = (name: CustodyLaneName) => medianOf(result.fixedRate[name].filter((step) => step.delivered > 0).map((step) => step.serverCpuMicros / step.delivered));
  const fixedRateRatio = cpuPerDelivery('encrypted') > 0 && cpuPerDelivery('plain') > 0 ? round(cpuPerDelivery('plain') / cpuPerDelivery('encrypted'), 3) : null;
  const medianRound = (name: CustodyLaneName) => medianBy(persisted[name], (round) => round.persistedPerSecond);
  const persistedPerSecond = (name: CustodyLaneName) => medianRound(name)?.persistedPerSecond ?? 0;
  const persistedRatio = persistedPerSecond('plain') > 0 ? round(persistedPerSecond('encrypted') / persistedPerSecond('plain'), 3) : null;
  const persistErrors = [...persisted.plain, ...persisted.encrypted].reduce((sum, round) => sum + round.errors, 0);
  const cpuPerStored = (name: CustodyLaneName) => {
    const rounds = persisted[name];
    const stored = rounds.reduce((sum, round) => sum + round.stored, 0);
    return stored > 0 ? rounds.reduce((sum, round) => sum + round.serverCpu * round.seconds * 1e6, 0) / stored : 0;
  };
  const met = (ratio: number | null) => ratio !== null && ratio >= CUSTODY_TARGETS.encryptionRatio && sealedAsConfigured;
  const deletion = (on: boolean) => deletionFigures(result.deletions.filter((timing) => timing.secureDelete === on));
  const secureOn = deletion(true);
  const secureOff = deletion(false);
  const { seal } = result;
  return {
    storage,
    sealedBodies,
    /** The encrypted lane stored every message body sealed, the plain lane none. */
    sealedAsConfigured,
    fanout: {
      recipients: result.settings.fanoutRecipients,
      senders: result.settings.fanoutSenders,
      encryptedDeliveredPerSecond: Math.round(perSecond('encrypted')),
      plainDeliveredPerSecond: Math.round(perSecond('plain')),
      /** The sweep's best rates: each found only to within the sweep's resolution (10 %), so shown, not judged. */
      sweepRatio: fanoutRatio,
      cpuNormalisedRatio: fanoutCpuRatio,
      /**
       * The verdict's figure: server CPU per delivery at one fixed rate, plain over encrypted, the median of the
       * turns each lane took. The server is pinned to one core, so this is the encrypted server's share of the
       * plain one's capacity.
       */
      ratio: fixedRateRatio,
      fixedRate: result.fixedRate.plain[0]?.rate ?? null,
      fixedRateTurns: result.fixedRate.encrypted.length,
      encryptedCpuMicrosPerDelivery: round(cpuPerDelivery('encrypted'), 2),
      plainCpuMicrosPerDelivery: round(cpuPerDelivery('plain'), 2),
      fixedRateP99Ms: { encrypted: result.fixedRate.encrypted.map((step) => round(step.p99Ms, 1)), plain: result.fixedRate.plain.map((step) => round(step.p99Ms, 1)) },
      target: CUSTODY_TARGETS.encryptionRatio,
      met: met(fixedRateRatio) && lossFree,
      lossFree,
      steps: { encrypted: fanout.encrypted.steps.map(compactSweepStep), plain: fanout.plain.steps.map(compactSweepStep) },
    },
    persistedSends: {
      senders: result.settings.persistSenders,
      rounds: result.settings.persistRounds,
      roundSeconds: result.settings.persistSeconds,
      encryptedPerSecond: Math.round(persistedPerSecond('encrypted')),
      plainPerSecond: Math.round(persistedPerSecond('plain')),
      ratio: persistedRatio,
      target: CUSTODY_TARGETS.encryptionRatio,
      met: met(persistedRatio) && persistErrors === 0,
      errors: persistErrors,
      encryptedCpuMicrosPerStored: round(cpuPerStored('encrypted'), 1),
      plainCpuMicrosPerStored: round(cpuPerStored('plain'), 1),
      encryptedRoundsPerSecond: persisted.encrypted.map((each) => Math.round(each.persistedPerSecond)),
      plainRoundsPerSecond: persisted.plain.map((each) => Math.round(each.persistedPerSecond)),
      encryptedAckP99Ms: round(medianRound('encrypted')?.ackP99Ms ?? 0, 2),
      plainAckP99Ms: round(medianRound('plain')?.ackP99Ms ?? 0, 2),
    },
    secureDelete: {
      serverSetting: storage.encrypted.secureDelete,
      roomsEach: Math.min(secureOn.rooms, secureOff.rooms),
      meanMessagesPerRoom: round(result.deletions.reduce((sum, timing) => sum + timing.messages, 0) / Math.max(1, result.deletions.length), 1),
      onMedianMs: round(secureOn.medianMs, 2),
      offMedianMs: round(secureOff.medianMs, 2),
      ratio: secureOff.medianMs > 0 ? round(secureOn.medianMs / secureOff.medianMs, 3) : null,
      deletions: result.deletions.map((timing) => ({ ...timing, ms: round(timing.ms, 2) })),
    },
    seal: {
      ...seal,
      sealMicros: round(seal.sealMicros, 2),
      openMicros: round(seal.openMicros, 2),
      /** A send seals its text once: the share of a core sealing takes at the plain lane's persisted rate. */
      sealShareOfCoreAtPlainRate: round((seal.sealMicros * persistedPerSecond('plain')) / 1e6, 4),
      /** A history page of 50 opens 50 texts. */
      historyPageOpenMs: round((50 * seal.openMicros) / 1000, 3),
    },
  };
}

export type CustodyJson = ReturnType<typeof custodyJson>;

/** The summary rows for encryption at rest. */
export function custodyRows(json: CustodyJson): [string, string, string][] {
  const { fanout, persistedSends: persisted, secureDelete, seal, sealedBodies } = json;
  const ratio = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));
  const sealedNote = json.sealedAsConfigured
    ? `bodies sealed: all ${thousands(sealedBodies.encrypted.total)} encrypted, none of ${thousands(sealedBodies.plain.total)} plain`
    : `NOT a figure of encryption: the encrypted server stored ${thousands(sealedBodies.encrypted.sealed)} of ${thousands(sealedBodies.encrypted.total)} bodies sealed, the plain one ${thousands(sealedBodies.plain.sealed)} of ${thousands(sealedBodies.plain.total)}`;
  return [
    [
      'Fan-out, encryption on/off',
      ratio(fanout.ratio),
      `target >= ${fanout.target}${verdict(fanout.met)}; server CPU per delivery at ${fanout.fixedRate ?? 'n/a'} msg/s, median of ${fanout.fixedRateTurns} turns: ` +
        `${fanout.plainCpuMicrosPerDelivery} µs plain / ${fanout.encryptedCpuMicrosPerDelivery} µs encrypted; sweep best ${thousands(fanout.encryptedDeliveredPerSecond)} vs ${thousands(fanout.plainDeliveredPerSecond)} deliveries/s ` +
        `(${ratio(fanout.sweepRatio)}, to within 10 %)${fanout.lossFree ? '' : '; some step LOST messages'}`,
    ],
    [
      'Persisted sends, encryption on/off',
      ratio(persisted.ratio),
      `target >= ${persisted.target}${verdict(persisted.met)}; ${thousands(persisted.encryptedPerSecond)} vs ${thousands(persisted.plainPerSecond)} msg/s (median of ${persisted.rounds} rounds each); ` +
        `${persisted.encryptedCpuMicrosPerStored} vs ${persisted.plainCpuMicrosPerStored} µs server CPU per message; ${persisted.errors} errors; ${sealedNote}`,
    ],
    [
      'Room deletion, secure_delete on/off',
      ratio(secureDelete.ratio),
      `${secureDelete.onMedianMs.toFixed(1)} vs ${secureDelete.offMedianMs.toFixed(1)} ms (median of ${secureDelete.roomsEach} rooms each, ${secureDelete.meanMessagesPerRoom} messages a room); ` +
        `the server's own setting: ${secureDelete.serverSetting ?? 'n/a'}`,
    ],
    [
      `AES-256-GCM, ${seal.textBytes}-byte text`,
      `${seal.sealMicros.toFixed(1)} + ${seal.openMicros.toFixed(1)} µs`,
      `seal + open in process; a send seals once: ${(seal.sealShareOfCoreAtPlainRate * 100).toFixed(1)} % of a core at the plain lane's rate; a history page of 50 opens 50: ${seal.historyPageOpenMs.toFixed(2)} ms`,
    ],
  ];
}

function deletionFigures(timings: readonly DeletionTiming[]): { rooms: number; medianMs: number } {
  return { rooms: timings.length, medianMs: medianBy(timings, (timing) => timing.ms)?.ms ?? 0 };
}

function medianOf(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
}

/** The middle item by `value` (the lower middle of an even count). */
function medianBy<T>(items: readonly T[], value: (item: T) => number): T | undefined {
  return [...items].sort((a, b) => value(a) - value(b))[Math.floor((items.length - 1) / 2)];
}

function compactSweepStep(step: SweepStep) {
  return {
    rate: step.rate,
    attempt: step.attempt,
    sent: step.sent,
    delivered: step.delivered,
    exactClients: step.exact,
    deliveredPerSecond: Math.round(step.deliveredPerSecond),
    p50Ms: round(step.p50Ms, 2),
    p99Ms: round(step.p99Ms, 2),
    serverCpu: round(step.serverCpu, 3),
    loadGeneratorCpu: round(step.loadGeneratorCpu, 3),
    passed: step.passed,
  };
}

function verdict(met: boolean): string {
  return met ? ' (met)' : ' (MISSED)';
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

