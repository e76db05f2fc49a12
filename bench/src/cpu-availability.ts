import { spawn } from 'node:child_process';
import { cpus } from 'node:os';
import { pinToCore } from './cpu-pinning';

// Busy-loops for the given time and prints the share of wall time it actually got on its core.
const SPINNER = `
const ms = Number(process.argv[1]);
const start = performance.now();
const before = process.cpuUsage();
let x = 0;
while (performance.now() - start < ms) for (let i = 0; i < 10000; i++) x += i;
const used = process.cpuUsage(before);
console.log(((used.user + used.system) / 1000 / (performance.now() - start)).toFixed(3));
`;

/**
 * How much of the machine's cores a busy process really gets right now (1 = all of it). This bench ran on a
 * virtual machine whose host at times takes back most of both cores; a low figure means the latency-bounded
 * results of the same run are understated, and says so in the output rather than leaving it to guess.
 */
export async function measureCpuAvailability(ms = 2_000): Promise<number> {
  const shares = await Promise.all(
    cpus().map(
      (_, core) =>
        new Promise<number>((resolve, reject) => {
          const child = spawn(process.execPath, ['-e', SPINNER, String(ms)], { stdio: ['ignore', 'pipe', 'inherit'], timeout: ms + 10_000 });
          if (child.pid !== undefined) pinToCore(child.pid, core);
          let output = '';
          child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
          child.on('error', reject);
          child.on('close', () => resolve(Number(output.trim()) || 0));
        }),
    ),
  );
  return shares.reduce((sum, share) => sum + share, 0) / shares.length;
}
