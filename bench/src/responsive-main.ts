// `npm run bench:responsive`: the "stays responsive" section of the full bench on its own: one Enclave server
// process, /healthz p99 from a separate connection while large PDFs are sent, 2,000 streams connect and
// passwords are guessed, each against the idle p99 of the same run. Prints `BENCH_RESPONSIVE {json}`.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { LOAD_GENERATOR_CORE, pinToCore } from './cpu-pinning';
import { createSignedInUsers, signInAdmin } from './enclave-setup';
import { formatResponsiveRows, RESPONSIVE_SETTINGS, responsiveJson } from './responsive-report';
import { measureResponsiveness } from './responsiveness';
import { runBench } from './run-bench';
import { ServerProcess } from './server-process';

async function main(): Promise<void> {
  const pinned = pinToCore(process.pid, LOAD_GENERATOR_CORE);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-bench-'));
  const adminPassword = randomBytes(12).toString('hex');
  const env = { ENCLAVE_DATA_DIR: dataDir, ENCLAVE_ADMIN_PASSWORD: adminPassword, ENCLAVE_PASSWORD_HASH_COST: '10', ENCLAVE_LOG_LEVEL: 'silent' };
  const server = await ServerProcess.start('enclave', { env, pin: pinned });
  try {
    const admin = await signInAdmin(server.url, adminPassword);
    log(`setup: ${RESPONSIVE_SETTINGS.sockets} users signed in`);
    const users = await createSignedInUsers(admin, RESPONSIVE_SETTINGS.sockets);
    const result = await measureResponsiveness(server.url, users, RESPONSIVE_SETTINGS, log);
    console.log(`\n${formatResponsiveRows(result).map((row) => row.join('  |  ')).join('\n')}\n`);
    console.log(`BENCH_RESPONSIVE ${JSON.stringify(responsiveJson(result))}`);
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function log(line: string): void {
  console.log(`[bench] ${line}`);
}

runBench('bench:responsive', 10 * 60_000, main);
