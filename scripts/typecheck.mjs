// Type-checks every project and holds each to the instantiation budget in typecheck-budget.json. TypeScript's
// instantiation count is deterministic for the same code and compiler, unlike a stopwatch, so a slow type pattern
// (an inferred generic checked against conditional types at every call site once took the check to six minutes)
// fails the build the day it comes in. Raise a budget only in the commit that explains why the new types need it.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const budgets = JSON.parse(readFileSync(path.join(root, 'typecheck-budget.json'), 'utf8')).instantiations;
const tsc = createRequire(path.join(root, 'package.json')).resolve('typescript/bin/tsc');

let failed = false;
for (const [project, budget] of Object.entries(budgets)) {
  const started = Date.now();
  const run = spawnSync(process.execPath, [tsc, '-p', project, '--extendedDiagnostics'], { cwd: root, encoding: 'utf8' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  // The diagnostics table starts at its "Files:" line; anything before it is the compiler's errors.
  const errors = run.stdout.split(/^Files:/m)[0].trim();
  if (errors) console.log(errors);
  const count = Number(/^Instantiations:\s+(\d+)/m.exec(run.stdout)?.[1]);
  if (run.status !== 0) {
    failed = true;
    console.error(`${project}: type errors (${seconds} s)`);
  } else if (!Number.isFinite(count)) {
    failed = true;
    console.error(`${project}: tsc printed no instantiation count`);
  } else if (count > budget) {
    failed = true;
    console.error(`${project}: ${count} type instantiations, over the budget of ${budget} in typecheck-budget.json. ` + 'A new type pattern costs this much at every use; see the "Types cost time too" lesson in the style guide.');
  } else {
    console.log(`${project}: ok in ${seconds} s, ${count} type instantiations (budget ${budget})`);
  }
}
process.exit(failed ? 1 : 0);
