/**
 * Runs a bench entry point as the whole process. The exit code tells a caller how it ended: 0 when `main`
 * resolved, 1 when it failed, 2 when it was still running after `timeLimitMs`, so that a hang cannot stall a run.
 * `name` prefixes the messages, so the output says which bench gave up or failed.
 */
export function runBench(name: string, timeLimitMs: number, main: () => Promise<void>): void {
  const watchdog = setTimeout(() => {
    console.error(`${name}: gave up after ${timeLimitMs / 60_000} minutes`);
    process.exit(2);
  }, timeLimitMs);
  watchdog.unref();

  main().then(
    () => process.exit(0),
    (error: unknown) => {
      console.error(`${name} failed:`, error);
      process.exit(1);
    },
  );
}
