import type { SweepStep } from './fanout-sweep';
import { addQuiet, type HoursLaneName, type HoursResult, type HoursTurn, type QuietCount } from './hours-phase';

/** Issue 17: fan-out with half the members off work keeps at least this share of the same room with everyone at work. */
export const HOURS_TARGETS = { halfOffRatio: 0.9 } as const;

/**
 * Whether the run measured quiet delivery at all: in the half-off lane the off-work clients got messages marked quiet
 * and the at-work clients none, and in the at-work lane nobody got any. A server that marks nothing would otherwise
 * pass by comparing the same work twice. Each problem is a line for the summary.
 */
export function quietProblems(quiet: Record<HoursLaneName, QuietCount>): string[] {
  const problems: string[] = [];
  if (quiet['half-off'].offWorkClients === 0) problems.push('the off-work clients got no message marked quiet in the half-off lane: the server does not mark quiet delivery, so this run compared the same work twice');
  if (quiet['half-off'].atWorkClients > 0) problems.push(`the at-work clients got ${quiet['half-off'].atWorkClients} messages marked quiet in the half-off lane`);
  const atWorkLane = quiet['at-work'].offWorkClients + quiet['at-work'].atWorkClients;
  if (atWorkLane > 0) problems.push(`${atWorkLane} messages were marked quiet in the at-work lane, where nobody is off work`);
  return problems;
}

/** The middle value (the lower middle of an even count); 0 for none. */
export function medianOf(values: readonly number[]): number {
  return [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
}

/** Server CPU microseconds per delivered message in each turn that delivered any. */
function cpuPerDelivery(turns: readonly HoursTurn[]): number[] {
  return turns.filter((turn) => turn.delivered > 0).map((turn) => turn.serverCpuMicros / turn.delivered);
}

/** The figures for `BENCH_HOURS`: the verdict from the fixed-rate turns, the sweep beside it, the quiet check. */
export function hoursJson(result: HoursResult) {
  const { fixedRate, sweep, settings } = result;
  const lane = (name: HoursLaneName) => {
    const turns = fixedRate[name];
    return {
      turns: turns.length,
      deliveredPerSecond: Math.round(medianOf(turns.map((turn) => turn.deliveredPerSecond))),
      cpuMicrosPerDelivery: round(medianOf(cpuPerDelivery(turns)), 2),
      turnsDeliveredPerSecond: turns.map((turn) => Math.round(turn.deliveredPerSecond)),
      turnsCpuMicrosPerDelivery: cpuPerDelivery(turns).map((value) => round(value, 2)),
      turnsP99Ms: turns.map((turn) => round(turn.p99Ms, 1)),
      sweepBestDeliveredPerSecond: Math.round(sweep[name].best?.deliveredPerSecond ?? 0),
      sweepBestRate: sweep[name].best?.rate ?? null,
    };
  };
  const atWork = lane('at-work');
  const halfOff = lane('half-off');
  const ratio = (numerator: number, denominator: number) => (numerator > 0 && denominator > 0 ? round(numerator / denominator, 3) : null);
  /** At the same offered rate both lanes deliver alike until the server falls behind: the cost is the sharper figure. */
  const deliveriesRatio = ratio(halfOff.deliveredPerSecond, atWork.deliveredPerSecond);
  /** The server is pinned to one core, so CPU per delivery at-work over half-off is the half-off lane's share of capacity. */
  const cpuRatio = ratio(atWork.cpuMicrosPerDelivery, halfOff.cpuMicrosPerDelivery);
  const sweepRatio = ratio(halfOff.sweepBestDeliveredPerSecond, atWork.sweepBestDeliveredPerSecond);
  const allSteps = [...sweep['at-work'].steps, ...sweep['half-off'].steps, ...fixedRate['at-work'], ...fixedRate['half-off']];
  const lossFree = allSteps.every((step) => step.failure !== 'loss');
  const quiet = {
    'at-work': fixedRate['at-work'].reduce((sum, turn) => addQuiet(sum, turn.quiet), result.sweepQuiet['at-work']),
    'half-off': fixedRate['half-off'].reduce((sum, turn) => addQuiet(sum, turn.quiet), result.sweepQuiet['half-off']),
  };
  const problems = quietProblems(quiet);
  const target = HOURS_TARGETS.halfOffRatio;
  const complete = atWork.turns === settings.fixedRateTurns && halfOff.turns === settings.fixedRateTurns;
  const met = deliveriesRatio !== null && cpuRatio !== null && deliveriesRatio >= target && cpuRatio >= target && lossFree && complete && problems.length === 0;
  return {
    recipients: settings.recipients,
    offWork: settings.offWork,
    senders: settings.senders,
    fixedRate: fixedRate['at-work'][0]?.rate ?? null,
    fixedRateTurns: settings.fixedRateTurns,
    atWork,
    halfOff,
    deliveriesRatio,
    cpuRatio,
    sweepRatio,
    target,
    met,
    lossFree,
    quiet: { ...quiet, passed: problems.length === 0, problems },
    switchSecondsMedian: round(medianOf(result.switchSeconds), 2),
    switches: result.switchSeconds.length,
    steps: { 'at-work': sweep['at-work'].steps.map(compactStep), 'half-off': sweep['half-off'].steps.map(compactStep) },
  };
}

export type HoursJson = ReturnType<typeof hoursJson>;

/** The summary rows. */
export function hoursRows(json: HoursJson): [string, string, string][] {
  const text = (value: number | null) => (value === null ? 'n/a' : value.toFixed(2));
  const quietLine = (name: HoursLaneName) => {
    const count = json.quiet[name];
    return `${thousands(count.offWorkClients)} of ${thousands(count.offWorkReceived)} to the off-work clients, ${thousands(count.atWorkClients)} to the at-work clients`;
  };
  return [
    [
      'Fan-out, half off work / all at work',
      text(json.cpuRatio),
      `target >= ${json.target}${json.met ? ' (met)' : ' (MISSED)'}; server CPU per delivery at ${json.fixedRate ?? 'n/a'} msg/s, median of ${json.atWork.turns} and ${json.halfOff.turns} turns: ` +
        `${json.atWork.cpuMicrosPerDelivery} µs at work / ${json.halfOff.cpuMicrosPerDelivery} µs half off${json.lossFree ? '' : '; some step LOST messages'}`,
    ],
    ['Deliveries/s at the fixed rate', text(json.deliveriesRatio), `${thousands(json.halfOff.deliveredPerSecond)} half off vs ${thousands(json.atWork.deliveredPerSecond)} at work (medians)`],
    ['Sweep best, half off / at work', text(json.sweepRatio), `${thousands(json.halfOff.sweepBestDeliveredPerSecond)} vs ${thousands(json.atWork.sweepBestDeliveredPerSecond)} deliveries/s, to within the sweep's 10 %; shown, not judged`],
    ['Quiet messages, half-off lane', json.quiet['half-off'].offWorkClients > 0 && json.quiet['half-off'].atWorkClients === 0 ? 'ok' : 'FAILED', quietLine('half-off')],
    ['Quiet messages, at-work lane', json.quiet['at-work'].offWorkClients + json.quiet['at-work'].atWorkClients === 0 ? 'ok' : 'FAILED', quietLine('at-work')],
    ...json.quiet.problems.map((problem): [string, string, string] => ['Quiet check', 'FAILED', problem]),
    ['Switching leave, off-work members', `${json.switchSecondsMedian} s`, `median of ${json.switches} switches, outside the measured steps`],
  ];
}

/** A turn's line, with the quiet messages its clients got. */
export function formatQuiet(quiet: QuietCount): string {
  return `quiet: ${quiet.offWorkClients}/${quiet.offWorkReceived} off-work, ${quiet.atWorkClients} at-work`;
}

function compactStep(step: SweepStep) {
  return {
    rate: step.rate,
    attempt: step.attempt,
    delivered: step.delivered,
    exactClients: step.exact,
    deliveredPerSecond: Math.round(step.deliveredPerSecond),
    p99Ms: round(step.p99Ms, 2),
    serverCpu: round(step.serverCpu, 3),
    passed: step.passed,
  };
}

function round(value: number, digits: number): number {
  return Number(value.toFixed(digits));
}

function thousands(value: number): string {
  return Math.round(value).toLocaleString('en-US');
}
