import { RESPONSIVE_TARGET_RATIO, type ResponsivenessResult, type ResponsivenessSettings } from './responsiveness';

/** What the full bench and `bench:responsive` run: the 3,000-page PDF, 2,000 streams, 5 s of guessing. */
export const RESPONSIVE_SETTINGS: ResponsivenessSettings = { idleSeconds: 3, pdfSends: 4, pdfPages: 3_000, sockets: 2_000, guessSeconds: 5, guessConcurrency: 8 };

export function responsiveJson(result: ResponsivenessResult) {
  return {
    idleP99Ms: round(result.idle.p99Ms),
    idleHealthChecks: result.idle.healthChecks,
    target: RESPONSIVE_TARGET_RATIO,
    cases: result.cases.map((entry) => ({ ...entry, p99Ms: round(entry.p99Ms), ratio: round(entry.ratio), met: entry.ratio <= RESPONSIVE_TARGET_RATIO })),
  };
}

const LABELS = { 'large-pdf-sends': 'large PDFs sent', 'sockets-connect': 'streams connecting', 'password-guessing': 'passwords guessed' } as const;

/** The summary rows: one per load, its /healthz p99 as a ratio to idle against the target. */
export function formatResponsiveRows(result: ResponsivenessResult): [string, string, string][] {
  return result.cases.map((entry) => [
    `Stays responsive: /healthz p99, ${LABELS[entry.name]}`,
    `${entry.ratio.toFixed(2)}x idle`,
    `${entry.p99Ms.toFixed(2)} vs ${result.idle.p99Ms.toFixed(2)} ms idle over ${entry.healthChecks} checks; target <= ${RESPONSIVE_TARGET_RATIO}x${entry.ratio <= RESPONSIVE_TARGET_RATIO ? ' (met)' : ' (MISSED)'}`,
  ]);
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}
