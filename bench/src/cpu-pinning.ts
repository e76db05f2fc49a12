import { spawnSync } from 'node:child_process';
import { cpus } from 'node:os';

/** The core the server processes run on; the load generator takes the other one. */
export const SERVER_CORE = 0;
export const LOAD_GENERATOR_CORE = 1;

/**
 * Pins every thread of a process to one core with `taskset -a`, so the server and the load generator do not
 * steal time from each other. Returns false (and changes nothing) where taskset or a second core is missing.
 */
export function pinToCore(pid: number, core: number): boolean {
  // Not availableParallelism(): once this process is pinned it reports one core, the one it may use.
  if (cpus().length < 2) return false;
  const result = spawnSync('taskset', ['-a', '-c', '-p', String(core), String(pid)], { stdio: 'ignore', timeout: 5_000 });
  return result.status === 0;
}
