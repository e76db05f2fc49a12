// Runs every test file of every package with Node's test runner (TypeScript through tsx), one file at a time per
// core: test files start their own servers and PostgreSQL databases, so they never share state.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';

function findTests(dir) {
  let found = [];
  for (const name of readdirSync(dir)) {
    const full = path.join(dir, name);
    if (name === 'node_modules' || name === 'dist') continue;
    if (statSync(full).isDirectory()) found = found.concat(findTests(full));
    else if (name.endsWith('.test.ts')) found.push(full);
  }
  return found;
}

const roots = ['packages', 'bench'];
const only = process.argv.slice(2);
const files = (only.length > 0 ? only : roots.flatMap((root) => findTests(root).filter((file) => file.includes(`${path.sep}test${path.sep}`)))).sort();
if (files.length === 0) {
  console.error('No test files found.');
  process.exit(1);
}
// Node applies the timeout to each test file as a whole as well as to each test in it; a browser suite of ten
// tests takes over a minute alone and about twice that beside another on two cores.
const TEST_TIMEOUT_MS = 300_000;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', `--test-concurrency=${Math.max(1, availableParallelism())}`, `--test-timeout=${TEST_TIMEOUT_MS}`, ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
