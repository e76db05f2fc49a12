import type { LatencyFigures, SearchKind, SearchPhaseResult } from './search-phase';

/** Issue 6: with 1,000,000 messages loaded, search p95 under 100 ms and a history page of 50 under 5 ms p99 (SQLite). */
export const SEARCH_TARGETS = { messages: 1_000_000, searchP95Ms: 100, historyP99Ms: 5 } as const;

/** The search phase's figures for BENCH_RESULT: every query kind, all searches together, history, and the verdicts. */
export function searchJson(result: SearchPhaseResult) {
  const rounded = (figures: LatencyFigures) => ({
    requests: figures.requests,
    p50Ms: round(figures.p50Ms),
    p95Ms: round(figures.p95Ms),
    p99Ms: round(figures.p99Ms),
    maxMs: round(figures.maxMs),
  });
  const kinds = Object.entries(result.search) as [SearchKind, SearchPhaseResult['search'][SearchKind]][];
  const worstKindP95 = Math.max(...kinds.map(([, figures]) => figures.p95Ms));
  return {
    messages: result.messages,
    users: result.users,
    rooms: result.rooms,
    membersPerRoom: result.membersPerRoom,
    generationSeconds: Math.round(result.generationSeconds),
    databaseBytes: result.databaseBytes,
    errors: result.errors,
    search: Object.fromEntries(kinds.map(([kind, figures]) => [kind, { ...rounded(figures), meanResults: round(figures.meanResults) }])),
    searchAll: rounded(result.searchAll),
    worstKindP95Ms: round(worstKindP95),
    searchTargetP95Ms: SEARCH_TARGETS.searchP95Ms,
    /** Met when every query kind's p95 is under the target, at the full data size, with no failed request. */
    searchMet: worstKindP95 < SEARCH_TARGETS.searchP95Ms && result.messages >= SEARCH_TARGETS.messages && result.errors === 0,
    history: rounded(result.history),
    floor: rounded(result.floor),
    historyRoundsP99Ms: result.historyRounds.map((each) => round(each.history.p99Ms)),
    floorRoundsP99Ms: result.historyRounds.map((each) => round(each.floor.p99Ms)),
    historyTargetP99Ms: SEARCH_TARGETS.historyP99Ms,
    historyMet: result.history.p99Ms < SEARCH_TARGETS.historyP99Ms && result.messages >= SEARCH_TARGETS.messages && result.errors === 0,
    sealedBodies: result.sealedBodies.sealed,
    /** Every message body was stored sealed: the figures are at 1,000,000 encrypted messages (issue 14). */
    encryptedAtRest: result.sealedBodies.total > 0 && result.sealedBodies.sealed === result.sealedBodies.total,
  };
}

/** The summary rows: one per query kind, then the two verdicts. */
export function searchRows(json: ReturnType<typeof searchJson>): [string, string, string][] {
  const size = `${json.messages.toLocaleString('en-US')} ${json.encryptedAtRest ? 'encrypted' : 'NOT encrypted'} messages`;
  const latency = (figures: { p50Ms: number; p95Ms: number; p99Ms: number }) => `p50 ${figures.p50Ms.toFixed(1)}, p95 ${figures.p95Ms.toFixed(1)}, p99 ${figures.p99Ms.toFixed(1)} ms`;
  return [
    ...Object.entries(json.search).map(([kind, figures]): [string, string, string] => [`Search, ${kind}`, `p95 ${figures.p95Ms.toFixed(1)} ms`, `${latency(figures)}; ${figures.meanResults} results/page`]),
    [
      `Search p95, worst kind (${size})`,
      `${json.worstKindP95Ms.toFixed(1)} ms`,
      `target < ${json.searchTargetP95Ms} ms${verdict(json.searchMet)}; all searches ${latency(json.searchAll)}; ${json.errors} errors; generated in ${json.generationSeconds} s`,
    ],
    [
      `History page of 50 (${size})`,
      `p99 ${json.history.p99Ms.toFixed(1)} ms`,
      `target < ${json.historyTargetP99Ms} ms${verdict(json.historyMet)}; the median of ${json.historyRoundsP99Ms.length} rounds' p99 (${milliseconds(json.historyRoundsP99Ms)}); that round: ${latency(json.history)}`,
    ],
    [
      `Health check between the pages (floor)`,
      `p99 ${json.floor.p99Ms.toFixed(1)} ms`,
      `what a request of nothing costs on this machine in the same round; in each round ${milliseconds(json.floorRoundsP99Ms)}; ${latency(json.floor)}`,
    ],
  ];
}

function milliseconds(values: readonly number[]): string {
  return `${values.map((value) => value.toFixed(1)).join(', ')} ms`;
}

function verdict(met: boolean): string {
  return met ? ' (met)' : ' (MISSED)';
}

function round(value: number): number {
  return Number(value.toFixed(2));
}
