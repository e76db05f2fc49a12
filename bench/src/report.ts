import type { CustodyResult } from './custody-phase';
import { custodyJson, custodyRows } from './custody-report';
import type { DlpRuleInput } from './dlp-rules';
import type { IdleMemoryResult } from './idle-memory';
import type { FanoutPhaseResult } from './fanout-phase';
import type { StepResult } from './fanout-step';
import type { SweepStep } from './fanout-sweep';
import type { PersistResult } from './persisted-sends';
import type { CostRoom, CostStep, CostSummary, RealtimeCostsResult } from './realtime-costs';
import type { SearchPhaseResult } from './search-phase';
import { formatResponsiveRows, responsiveJson } from './responsive-report';
import type { ResponsivenessResult } from './responsiveness';
import { searchJson, searchRows } from './search-report';

/** The issues' targets. Issue 5: fan-out with 100 active DLP rules keeps this share of the rule-free rate in the same run. */
export const TARGETS = { fanoutRatio: 0.8, dlpThroughputRatio: 0.9, bytesPerIdleConnection: 20 * 1024, persistedPerSecond: 5_000 } as const;

export interface MachineInfo {
  node: string;
  cores: number;
  loadGeneratorPinned: boolean;
  serverPinned: boolean;
  /** Share of the cores a busy process got just before and after the run (1 = all). */
  cpuAvailabilityBefore: number;
  cpuAvailabilityAfter: number;
}

export interface BenchReport {
  machine: MachineInfo;
  fanout: FanoutPhaseResult & { recipients: number; senders: number; stepSeconds: number };
  costs: RealtimeCostsResult;
  /** The rules switched on in the `enclave+dlp` sweep lane and the `dlp` cost steps, and what reloading them cost. */
  dlp: { rules: readonly DlpRuleInput[]; reloadCpuMicros: readonly number[] };
  idleMemory: IdleMemoryResult;
  persisted: PersistResult;
  responsive: ResponsivenessResult;
  /** Encryption at rest: the same server with encryption on and off, secure_delete's cost, sealing in process. */
  custody: CustodyResult;
  search: SearchPhaseResult;
  durationSeconds: number;
}

/** The figures the issue asks for, plus every step, as one JSON object. */
export function toResultJson(report: BenchReport) {
  const { fanout } = report;
  const enclavePerSecond = fanout.enclave.best?.deliveredPerSecond ?? 0;
  const baselinePerSecond = fanout.baseline.best?.deliveredPerSecond ?? 0;
  const enclavePerCpuSecond = perServerCpuSecond(fanout.enclave.best);
  const baselinePerCpuSecond = perServerCpuSecond(fanout.baseline.best);
  return {
    machine: report.machine,
    fanout: {
      recipients: fanout.recipients,
      senders: fanout.senders,
      stepSeconds: fanout.stepSeconds,
      enclaveDeliveredPerSecond: Math.round(enclavePerSecond),
      baselineDeliveredPerSecond: Math.round(baselinePerSecond),
      ratio: baselinePerSecond > 0 ? round(enclavePerSecond / baselinePerSecond, 3) : null,
      target: TARGETS.fanoutRatio,
      enclaveDeliveriesPerServerCpuSecond: Math.round(enclavePerCpuSecond),
      baselineDeliveriesPerServerCpuSecond: Math.round(baselinePerCpuSecond),
      cpuNormalisedRatio: baselinePerCpuSecond > 0 ? round(enclavePerCpuSecond / baselinePerCpuSecond, 3) : null,
      steps: { enclave: fanout.enclave.steps.map(compactStep), baseline: fanout.baseline.steps.map(compactStep) },
    },
    dlp: dlpJson(report),
    realtimeCosts: costsJson(report.costs),
    idleMemory: {
      connections: report.idleMemory.connections,
      rssBytesPerConnection: Math.round(report.idleMemory.rssPerConnection),
      heapBytesPerConnection: Math.round(report.idleMemory.heapPerConnection),
      target: TARGETS.bytesPerIdleConnection,
      before: report.idleMemory.before,
      after: report.idleMemory.after,
    },
    persistedSends: {
      senders: report.persisted.senders,
      perSecond: Math.round(report.persisted.persistedPerSecond),
      stored: report.persisted.stored,
      acked: report.persisted.acked,
      errors: report.persisted.errors,
      ackP50Ms: report.persisted.ackP50Ms,
      ackP99Ms: report.persisted.ackP99Ms,
      target: TARGETS.persistedPerSecond,
    },
    responsive: responsiveJson(report.responsive),
    custody: custodyJson(report.custody),
    search: searchJson(report.search),
    durationSeconds: Math.round(report.durationSeconds),
  };
}

/**
 * Fan-out with the DLP rules on against the same without: the best swept rates from the same sweep (the issue's
 * figure), and server CPU per delivered message at the cost steps' fixed rate. Every send must have gone through:
 * the rules are written not to match bench messages, and a refused send would show as an error frame.
 */
export function dlpJson(report: BenchReport) {
  const { fanout, costs, dlp } = report;
  const without = fanout.enclave.best?.deliveredPerSecond ?? 0;
  const withRules = fanout.dlp.best?.deliveredPerSecond ?? 0;
  const ratio = without > 0 ? round(withRules / without, 3) : null;
  const plain = costs.channel.plain;
  const ruled = costs.channel.dlp;
  const refused =
    costs.steps.filter((step) => step.kind === 'dlp').reduce((sum, step) => sum + (step.frames.error ?? 0), 0) +
    fanout.dlp.steps.reduce((sum, step) => sum + step.errors, 0);
  const reloads = [...dlp.reloadCpuMicros].sort((a, b) => a - b);
  const kinds = (kind: DlpRuleInput['detector']['kind']) => dlp.rules.filter((rule) => rule.detector.kind === kind);
  return {
    rules: dlp.rules.length,
    keywordLists: kinds('keywords').length,
    keywords: kinds('keywords').reduce((sum, rule) => sum + (rule.detector.kind === 'keywords' ? rule.detector.words.length : 0), 0),
    patterns: kinds('regex').length,
    builtins: kinds('builtin').length,
    withoutRulesDeliveredPerSecond: Math.round(without),
    withRulesDeliveredPerSecond: Math.round(withRules),
    throughputRatio: ratio,
    target: TARGETS.dlpThroughputRatio,
    met: ratio !== null && ratio >= TARGETS.dlpThroughputRatio && refused === 0,
    cpuRatio: plain.serverCpuMicrosPerDelivery > 0 ? round(ruled.serverCpuMicrosPerDelivery / plain.serverCpuMicrosPerDelivery, 3) : null,
    cpuRate: costs.rate,
    withoutRulesCpuMicrosPerDelivery: round(plain.serverCpuMicrosPerDelivery, 3),
    withRulesCpuMicrosPerDelivery: round(ruled.serverCpuMicrosPerDelivery, 3),
    withoutRulesP99Ms: round(plain.p99Ms, 2),
    withRulesP99Ms: round(ruled.p99Ms, 2),
    /** Every step with the rules on delivered every message exactly once, in order (the sweep's failures by latency aside). */
    lossFree: ruled.exact && fanout.dlp.steps.every((step) => step.failure !== 'loss'),
    /** Error frames the senders got while the rules were on; each refused send is one. Must be 0. */
    refused,
    /** Server CPU to load and compile the rules after a change, which a node also does every 10 s. */
    reloadCpuMicrosMedian: reloads.length > 0 ? reloads[Math.floor(reloads.length / 2)]! : null,
    reloads: reloads.length,
    steps: fanout.dlp.steps.map(compactStep),
  };
}

/**
 * DLP rules, typing, presence and read receipts as ratios of server CPU per delivered message against plain
 * messaging at the same rate in the same run (read receipts in the group against plain messaging in that group).
 */
export function costsJson(costs: RealtimeCostsResult) {
  const { channel, group } = costs;
  const ratio = (with_: CostSummary, plain: CostSummary) =>
    plain.serverCpuMicrosPerDelivery > 0 ? round(with_.serverCpuMicrosPerDelivery / plain.serverCpuMicrosPerDelivery, 3) : null;
  const figures = (summary: CostSummary) => ({
    serverCpuMicrosPerDelivery: round(summary.serverCpuMicrosPerDelivery, 3),
    serverCpu: round(summary.serverCpu, 3),
    p99Ms: round(summary.p99Ms, 2),
    exact: summary.exact,
  });
  const frames = (summary: CostSummary, type: string) => Math.round(summary.framesPerStep[type] ?? 0);
  const typingPerTypistPerRecipient = costs.typists > 0 ? (channel.typing.framesPerStep.typing ?? 0) / (costs.typists * (costs.recipients - 1)) : 0;
  return {
    rate: costs.rate,
    stepSeconds: costs.seconds,
    rounds: costs.rounds,
    recipients: costs.recipients,
    senders: costs.senders,
    plain: figures(channel.plain),
    dlp: {
      ...figures(channel.dlp),
      cpuRatio: ratio(channel.dlp, channel.plain),
      errorFramesPerStep: frames(channel.dlp, 'error'),
    },
    typing: {
      ...figures(channel.typing),
      cpuRatio: ratio(channel.typing, channel.plain),
      typists: costs.typists,
      intervalMs: costs.typingIntervalMs,
      framesSentPerStep: Math.round(channel.typing.typingSentPerStep),
      framesReceivedPerStep: frames(channel.typing, 'typing'),
      receivedPerTypistPerRecipient: round(typingPerTypistPerRecipient, 3),
      allowedPerTypistPerRecipient: costs.typingAllowedPerTypistPerRecipient,
    },
    presence: {
      ...figures(channel.churn),
      cpuRatio: ratio(channel.churn, channel.plain),
      watchesPerClient: costs.watchesPerClient,
      watchSetupFrames: costs.watchSetupFrames.received,
      watchSetupExpected: costs.watchSetupFrames.expected,
      churners: costs.churners,
      reconnectsPerStep: Math.round(channel.churn.reconnectsPerStep),
      reconnectFailures: channel.churn.reconnectFailures,
      framesPerStep: frames(channel.churn, 'presence'),
      framesExpectedPerStep: costs.churnPresenceExpected,
    },
    readReceiptsChannel: {
      ...figures(channel.read),
      cpuRatio: ratio(channel.read, channel.plain),
      members: costs.recipients,
      marksPerStep: Math.round(channel.read.readMarksPerStep),
      markErrors: channel.read.readErrors,
      markP99Ms: round(channel.read.readP99Ms, 2),
      readFramesPerStep: frames(channel.read, 'room.read'),
      readByFramesPerStep: frames(channel.read, 'room.read_by'),
    },
    readReceiptsGroup: {
      ...figures(group.read),
      cpuRatio: ratio(group.read, group.plain),
      members: costs.groupMembers,
      plain: figures(group.plain),
      marksPerStep: Math.round(group.read.readMarksPerStep),
      markErrors: group.read.readErrors,
      markP99Ms: round(group.read.readP99Ms, 2),
      readFramesPerStep: frames(group.read, 'room.read'),
      readByFramesPerStep: frames(group.read, 'room.read_by'),
    },
    steps: costs.steps.map((step) => ({
      room: step.room,
      kind: step.kind,
      round: step.round,
      ...compactStep(step),
      serverCpuMicros: step.serverCpuMicros,
      frames: step.frames,
      typingSent: step.typingSent,
      reconnects: step.reconnects,
      readMarks: step.readMarks,
      readErrors: step.readErrors,
    })),
  };
}

/** One line per cost step, printed as the bench goes. */
export function formatCostStep(room: CostRoom, step: CostStep): string {
  const extra = Object.entries(step.frames)
    .filter(([, count]) => count > 0)
    .map(([type, count]) => `${type} ${thousands(count)}`);
  if (step.typingSent > 0) extra.unshift(`typing sent ${step.typingSent}`);
  if (step.reconnects + step.reconnectFailures > 0) extra.unshift(`reconnects ${step.reconnects}${step.reconnectFailures ? ` (${step.reconnectFailures} failed)` : ''}`);
  if (step.readMarks + step.readErrors > 0) extra.unshift(`marks ${step.readMarks}${step.readErrors ? ` (${step.readErrors} failed)` : ''}, mark p99 ${step.readP99Ms.toFixed(1)} ms`);
  return [
    `${room} ${step.kind}`.padEnd(14),
    `round ${step.round}`,
    `${step.rate} msg/s`.padStart(10),
    `${(step.serverCpuMicros / Math.max(1, step.delivered)).toFixed(2)} µs cpu/delivery`.padStart(22),
    `p99 ${step.p99Ms.toFixed(1)} ms`.padStart(15),
    `exact ${step.exact}/${step.recipients}`.padStart(16),
    `cpu server ${percent(step.serverCpu)} loadgen ${percent(step.loadGeneratorCpu)}`,
    extra.join(', '),
  ]
    .join('  ')
    .trimEnd();
}

/** One line per sweep step, printed as the bench goes. */
export function formatStep(lane: string, step: SweepStep): string {
  const verdict = step.passed ? 'pass' : `FAIL (${step.failure})`;
  return [
    lane.padEnd(11),
    `${step.rate} msg/s`.padStart(12),
    `try ${step.attempt}`,
    `${thousands(step.deliveredPerSecond)} deliveries/s`.padStart(22),
    `p50 ${step.p50Ms.toFixed(1)} ms`.padStart(14),
    `p99 ${step.p99Ms.toFixed(1)} ms`.padStart(15),
    `exact ${step.exact}/${step.recipients}`.padStart(16),
    `cpu server ${percent(step.serverCpu)} loadgen ${percent(step.loadGeneratorCpu)}`,
    verdict,
  ].join('  ');
}

/** The summary table printed at the end. */
export function formatSummary(report: BenchReport): string {
  const json = toResultJson(report);
  const { fanout, dlp, idleMemory, persistedSends, machine } = json;
  const best = (name: 'enclave' | 'baseline') => report.fanout[name].best;
  const latency = (step: SweepStep | undefined) => (step ? `p50 ${step.p50Ms.toFixed(1)} ms, p99 ${step.p99Ms.toFixed(1)} ms at ${step.rate} msg/s` : 'no step passed');
  const rows: [string, string, string][] = [
    ['Fan-out, Enclave', `${thousands(fanout.enclaveDeliveredPerSecond)} deliveries/s`, latency(best('enclave'))],
    ['Fan-out, bare ws baseline', `${thousands(fanout.baselineDeliveredPerSecond)} deliveries/s`, latency(best('baseline'))],
    ['Fan-out ratio Enclave/baseline', fanout.ratio === null ? 'n/a' : fanout.ratio.toFixed(2), `target >= ${TARGETS.fanoutRatio}${verdict(fanout.ratio !== null && fanout.ratio >= TARGETS.fanoutRatio)}`],
    [
      'Same, per second of server CPU',
      fanout.cpuNormalisedRatio === null ? 'n/a' : fanout.cpuNormalisedRatio.toFixed(2),
      `${thousands(fanout.enclaveDeliveriesPerServerCpuSecond)} vs ${thousands(fanout.baselineDeliveriesPerServerCpuSecond)} deliveries per CPU-second`,
    ],
    [`Fan-out, Enclave with ${dlp.rules} DLP rules`, `${thousands(dlp.withRulesDeliveredPerSecond)} deliveries/s`, latency(report.fanout.dlp.best)],
    [
      'DLP throughput ratio, rules/no rules',
      dlp.throughputRatio === null ? 'n/a' : dlp.throughputRatio.toFixed(2),
      `target >= ${TARGETS.dlpThroughputRatio}${verdict(dlp.met)}; ${dlp.refused} sends refused${dlp.lossFree ? '' : ', some step LOST messages'}; ` +
        `${dlp.keywordLists} keyword lists (${dlp.keywords} words), ${dlp.patterns} patterns, ${dlp.builtins} built-ins`,
    ],
    ...costRows(json.realtimeCosts, dlp),
    ['Memory per idle stream (RSS)', `${(idleMemory.rssBytesPerConnection / 1024).toFixed(1)} kB`, `over ${idleMemory.connections} streams; target <= ${TARGETS.bytesPerIdleConnection / 1024} kB${verdict(idleMemory.rssBytesPerConnection <= TARGETS.bytesPerIdleConnection)}`],
    ['Memory per idle stream (heap+ext)', `${(idleMemory.heapBytesPerConnection / 1024).toFixed(1)} kB`, 'JavaScript heap and external buffers only'],
    ['Persisted sends (SQLite)', `${thousands(persistedSends.perSecond)} msg/s`, `${persistedSends.stored} rows, ${persistedSends.senders} senders; target >= ${TARGETS.persistedPerSecond}${verdict(persistedSends.perSecond >= TARGETS.persistedPerSecond)}`],
    ...formatResponsiveRows(report.responsive),
    ...custodyRows(json.custody),
    ...searchRows(json.search),
  ];
  const widths = [0, 1, 2].map((column) => Math.max(...rows.map((row) => row[column]!.length)));
  const lines = rows.map((row) => row.map((cell, column) => cell.padEnd(widths[column]!)).join('  |  '));
  const setting =
    `${fanout.recipients} recipients, ${fanout.senders} senders, ${fanout.stepSeconds} s steps; p99 bound 100 ms, no loss. ` +
    `Cores: ${machine.cores}, server ${machine.serverPinned ? 'pinned to core 0' : 'not pinned'}, load generator ${machine.loadGeneratorPinned ? 'pinned to core 1' : 'not pinned'}. ` +
    `CPU a busy process got: ${percent(machine.cpuAvailabilityBefore)} before, ${percent(machine.cpuAvailabilityAfter)} after.`;
  return [...lines, '', setting, ...loadGeneratorNote(report.fanout.baseline.best)].join('\n');
}

/** The cost rows of the summary: each a ratio of server CPU per delivered message against plain messaging. */
export function costRows(costs: ReturnType<typeof costsJson>, dlp: Pick<ReturnType<typeof dlpJson>, 'rules' | 'reloadCpuMicrosMedian'>): [string, string, string][] {
  const { plain, dlp: withRules, typing, presence, readReceiptsChannel: channelRead, readReceiptsGroup: groupRead } = costs;
  const times = (ratio: number | null) => (ratio === null ? 'n/a' : `${ratio.toFixed(2)}x plain`);
  const p99 = (figures: { p99Ms: number }, base: { p99Ms: number }) => `p99 ${figures.p99Ms.toFixed(1)} vs ${base.p99Ms.toFixed(1)} ms`;
  const inexact = [plain, withRules, typing, presence, channelRead, groupRead, groupRead.plain].some((figures) => !figures.exact) ? ' (some step LOST or reordered messages)' : '';
  return [
    [
      `Plain messaging, ${thousands(costs.recipients)}-member channel`,
      `${plain.serverCpuMicrosPerDelivery.toFixed(2)} µs CPU/delivery`,
      `${costs.rate} msg/s, ${costs.rounds} x ${costs.stepSeconds} s; server ${percent(plain.serverCpu)} CPU, p99 ${plain.p99Ms.toFixed(1)} ms${inexact}`,
    ],
    [
      `+ ${dlp.rules} DLP rules`,
      times(withRules.cpuRatio),
      `${p99(withRules, plain)}; ${withRules.errorFramesPerStep} error frames/step; reloading the rules ` +
        `${dlp.reloadCpuMicrosMedian === null ? 'not measured' : `${(dlp.reloadCpuMicrosMedian / 1000).toFixed(1)} ms CPU`} (a node does it every 10 s)`,
    ],
    [
      `+ typing (${typing.typists} typists, 1 frame/${typing.intervalMs / 1000} s)`,
      times(typing.cpuRatio),
      `${p99(typing, plain)}; ${thousands(typing.framesReceivedPerStep)} typing frames/step = ${typing.receivedPerTypistPerRecipient.toFixed(2)} per typist per member ` +
        `(${(typing.framesSentPerStep / Math.max(1, typing.typists)).toFixed(0)} sent, 2 s drop allows <= ${typing.allowedPerTypistPerRecipient})`,
    ],
    [
      `+ presence churn (${presence.churners} reconnects)`,
      times(presence.cpuRatio),
      `${p99(presence, plain)}; ${thousands(presence.framesPerStep)} presence frames/step (<= ${thousands(presence.framesExpectedPerStep)}); ` +
        `${presence.watchesPerClient} watches each: ${thousands(presence.watchSetupFrames)}/${thousands(presence.watchSetupExpected)} frames`,
    ],
    [
      `+ read marks, ${thousands(channelRead.members)}-member channel`,
      times(channelRead.cpuRatio),
      `${p99(channelRead, plain)}; ${thousands(channelRead.marksPerStep)} marks/step (p99 ${channelRead.markP99Ms.toFixed(1)} ms), ` +
        `${thousands(channelRead.readFramesPerStep)} room.read + ${thousands(channelRead.readByFramesPerStep)} read_by frames/step`,
    ],
    [
      `+ read marks, ${groupRead.members}-member group`,
      times(groupRead.cpuRatio),
      `vs plain in the group (${groupRead.plain.serverCpuMicrosPerDelivery.toFixed(2)} µs/delivery); ${p99(groupRead, groupRead.plain)}; ` +
        `${thousands(groupRead.marksPerStep)} marks/step, ${thousands(groupRead.readByFramesPerStep)} read_by frames/step`,
    ],
  ];
}

/** Bounds a load generator sharing a 2-core machine cannot lift; said out loud so the ratio is read right. */
function loadGeneratorNote(baselineBest: SweepStep | undefined): string[] {
  if (!baselineBest || baselineBest.serverCpu >= LOAD_GENERATOR_BOUND_SERVER_CPU) return [];
  return [
    `At its best step the baseline server used ${percent(baselineBest.serverCpu)} of its core and the load generator ${percent(baselineBest.loadGeneratorCpu)} of ` +
      'its own: the baseline figure is bounded by the load generator, so the plain ratio flatters Enclave and the CPU-normalised one is the fairer comparison.',
  ];
}

/** Below this share of its core at its best step, a server was not what stopped the sweep. */
const LOAD_GENERATOR_BOUND_SERVER_CPU = 0.9;

function perServerCpuSecond(step: SweepStep | undefined): number {
  return step && step.serverCpu > 0 ? step.deliveredPerSecond / step.serverCpu : 0;
}

function verdict(met: boolean): string {
  return met ? ' (met)' : ' (MISSED)';
}

function compactStep(step: StepResult & { attempt?: number }) {
  return {
    rate: step.rate,
    attempt: step.attempt,
    sent: step.sent,
    delivered: step.delivered,
    exactClients: step.exact,
    duplicates: step.duplicates,
    gaps: step.gaps,
    disorder: step.disorder,
    errors: step.errors,
    closed: step.closed,
    deliveredPerSecond: Math.round(step.deliveredPerSecond),
    p50Ms: round(step.p50Ms, 2),
    p99Ms: round(step.p99Ms, 2),
    maxMs: round(step.maxMs, 2),
    serverCpu: round(step.serverCpu, 3),
    loadGeneratorCpu: round(step.loadGeneratorCpu, 3),
    passed: step.passed,
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}

function percent(share: number): string {
  return `${Math.round(share * 100)}%`;
}
