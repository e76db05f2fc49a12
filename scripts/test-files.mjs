// Finds the test files and runs a set of them with Node's test runner (TypeScript through tsx), one file at a time
// per core: test files start their own servers and PostgreSQL databases, so they never share state.
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import path from 'node:path';

// Node applies the timeout to each test file as a whole as well as to each test in it; a browser suite of ten
// tests takes over a minute alone and about twice that beside another on two cores.
const TEST_TIMEOUT_MS = 300_000;

/** Every `*.test.ts` under a `test` folder of the packages and the bench, sorted. */
export function findTestFiles(roots = ['packages', 'bench']) {
  const found = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const full = path.join(dir, name);
      if (name === 'node_modules' || name === 'dist') continue;
      if (statSync(full).isDirectory()) walk(full);
      else if (name.endsWith('.test.ts') && full.includes(`${path.sep}test${path.sep}`)) found.push(full);
    }
  };
  roots.forEach(walk);
  return found.sort();
}

/** What kind of suite a file is, read from what it imports: it drives a browser, runs per backend, or neither. */
export function suiteKind(file) {
  const source = readFileSync(file, 'utf8');
  if (/from '\.\/browser'/.test(source)) return 'browser';
  if (/\b(describeEachBackend|testBackends)\b/.test(source)) return 'api';
  return 'unit';
}

/**
 * Runs the files in one `node --test`; answers its exit status. The largest files go first: they tend to run
 * longest, and a long file started last would leave the other cores idle while it finishes.
 */
export function runTestFiles(files, env = process.env) {
  const largestFirst = [...files].sort((a, b) => statSync(b).size - statSync(a).size);
  const result = spawnSync(
    process.execPath,
    ['--import', 'tsx', '--test', `--test-concurrency=${Math.max(1, availableParallelism())}`, `--test-timeout=${TEST_TIMEOUT_MS}`, ...largestFirst],
    { stdio: 'inherit', env },
  );
  return result.status ?? 1;
}
