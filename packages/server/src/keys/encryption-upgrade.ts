import type { Kysely } from 'kysely';
import type { Database } from '../db/schema';
import type { Keyring } from './keyring';
import type { UpgradeStep } from './upgrade-step';

export interface StepProgress {
  step: string;
  /** Items plain when the step began. */
  total: number;
  sealed: number;
}

export interface UpgradeReport {
  steps: { step: string; sealed: number; remaining: number }[];
  /** Every step found nothing plain left: the keyring no longer accepts plain content. */
  complete: boolean;
}

export interface UpgradeOptions {
  batchSize?: number;
  /** Called when a step begins and after each batch. */
  onProgress?: (progress: StepProgress) => void;
  /** Asked between batches; true stops the run where it is (a later run resumes from the rows still plain). */
  shouldStop?: () => boolean;
  /** A pause between batches, so a running server's requests get the database between them. */
  pauseMs?: number;
}

/**
 * Seals an installation's plain content in place, one step after another, in batches. There is nothing to
 * remember between runs: each step finds the rows still plain itself, so a run killed midway resumes where it
 * stopped, and two runs at once (two nodes, or a node and `enclave keys encrypt`) only share the work. When every
 * step has nothing left the keyring stops accepting plain content.
 */
export async function encryptInPlace(db: Kysely<Database>, keys: Keyring, steps: readonly UpgradeStep[], options: UpgradeOptions = {}): Promise<UpgradeReport> {
  if (!keys.encrypting) throw new Error('encryption is off (ENCLAVE_ENCRYPTION=off): there is nothing to encrypt with');
  const batchSize = options.batchSize ?? 200;
  const report: UpgradeReport = { steps: [], complete: false };
  for (const step of steps) {
    const progress: StepProgress = { step: step.name, total: await step.remaining(db), sealed: 0 };
    options.onProgress?.({ ...progress });
    while (!options.shouldStop?.()) {
      const sealed = await step.sealBatch(db, keys, batchSize);
      if (sealed === 0) break;
      progress.sealed += sealed;
      options.onProgress?.({ ...progress });
      await pause(options.pauseMs ?? 0);
    }
    report.steps.push({ step: step.name, sealed: progress.sealed, remaining: await step.remaining(db) });
    if (options.shouldStop?.()) return report;
  }
  report.complete = report.steps.every((step) => step.remaining === 0);
  if (report.complete) await keys.markSealed(db, steps.map((step) => step.name));
  return report;
}

/** How much plain content each step still has (for `enclave keys status` and the health check). */
export async function upgradeRemaining(db: Kysely<Database>, steps: readonly UpgradeStep[]): Promise<{ step: string; remaining: number }[]> {
  const remaining = [];
  for (const step of steps) remaining.push({ step: step.name, remaining: await step.remaining(db) });
  return remaining;
}

export interface BackgroundUpgrade {
  /** Resolves when the run ends (finished, stopped, or failed and logged). */
  done: Promise<UpgradeReport | undefined>;
  stop(): Promise<void>;
}

interface Log {
  info(object: object, message: string): void;
  error(object: object, message: string): void;
}

/**
 * Runs the upgrade inside a running server, after it has started listening, so chat goes on meanwhile. Logs its
 * progress every `logEveryMs`; a failure is logged and the next start tries again.
 */
export function startEncryptionUpgrade(db: Kysely<Database>, keys: Keyring, steps: readonly UpgradeStep[], log: Log, options: { logEveryMs?: number; pauseMs?: number } = {}): BackgroundUpgrade {
  let stopping = false;
  let lastLog = 0;
  const logEveryMs = options.logEveryMs ?? 5000;
  const done = encryptInPlace(db, keys, steps, {
    pauseMs: options.pauseMs ?? 10,
    shouldStop: () => stopping,
    onProgress: (progress) => {
      if (Date.now() - lastLog < logEveryMs) return;
      lastLog = Date.now();
      log.info({ encryptionUpgrade: progress }, `encrypting stored content: ${progress.step} ${progress.sealed}/${progress.total}`);
    },
  }).then(
    (report) => {
      if (report.complete) log.info({ encryptionUpgrade: report }, 'encryption upgrade complete: no plain content is left');
      return report;
    },
    (error: unknown) => {
      log.error({ err: error }, 'encryption upgrade failed; it resumes at the next start');
      return undefined;
    },
  );
  return {
    done,
    async stop() {
      stopping = true;
      await done;
    },
  };
}

function pause(ms: number): Promise<void> {
  return new Promise((resolve) => (ms > 0 ? setTimeout(resolve, ms) : setImmediate(resolve)));
}
