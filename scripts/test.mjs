// `npm test`: every check in stages, stopping at the first that fails, then the time each stage took, so a slow
// stage is seen where it grows. The API suites run once per backend (ENCLAVE_TEST_BACKENDS narrows them).
import { spawnSync } from 'node:child_process';
import { findTestFiles, runTestFiles, suiteKind } from './test-files.mjs';

const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
const runScript = (script) => () => spawnSync(npm, ['run', '--silent', script], { stdio: 'inherit' }).status ?? 1;

const files = findTestFiles();
const ofKind = (kind) => files.filter((file) => suiteKind(file) === kind);
const wanted = (process.env.ENCLAVE_TEST_BACKENDS ?? 'sqlite,postgres').split(',').map((backend) => backend.trim());
const onBackend = (backend) => () => runTestFiles(ofKind('api'), { ...process.env, ENCLAVE_TEST_BACKENDS: backend });

const stages = [
  ['type check', runScript('typecheck')],
  ['architecture rules', runScript('check:architecture')],
  ['web client build', runScript('build:web')],
  ['unit and CLI tests', () => runTestFiles(ofKind('unit'))],
  ...['sqlite', 'postgres'].filter((backend) => wanted.includes(backend)).map((backend) => [`API tests on ${backend === 'sqlite' ? 'SQLite' : 'PostgreSQL'}`, onBackend(backend)]),
  ['browser tests', () => runTestFiles(ofKind('browser'))],
];

const timings = [];
let status = 0;
for (const [name, run] of stages) {
  const started = Date.now();
  console.log(`\n== ${name}`);
  status = run();
  timings.push([name, (Date.now() - started) / 1000, status]);
  if (status !== 0) break;
}
console.log('\n== Stage times');
for (const [name, seconds, stageStatus] of timings) {
  console.log(`${name.padEnd(24)} ${seconds.toFixed(0).padStart(5)} s${stageStatus === 0 ? '' : '  FAILED'}`);
}
console.log(`${'total'.padEnd(24)} ${timings.reduce((sum, [, seconds]) => sum + seconds, 0).toFixed(0).padStart(5)} s`);
process.exit(status);
