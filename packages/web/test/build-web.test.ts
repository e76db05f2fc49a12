import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, lstatSync, mkdirSync, readlinkSync, renameSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { after, before, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { startTestServer, type TestServer } from '../../server/test/harness';

const buildScript = fileURLToPath(new URL('../../../scripts/build-web.mjs', import.meta.url));
const web = fileURLToPath(new URL('..', import.meta.url));
const dist = path.join(web, 'dist');

function runBuild(): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [buildScript], { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.stderr.on('data', (chunk: Buffer) => (output += String(chunk)));
    child.once('exit', (code) => resolve({ code, output }));
  });
}

let server: TestServer;
before(async () => {
  const first = await runBuild();
  assert.equal(first.code, 0, first.output);
  server = await startTestServer({ config: { webRoot: dist } });
});
after(async () => {
  await server.close();
  // Whatever happened above, the checkout is left with its real build in place.
  await runBuild();
});

test('a second build of unchanged sources changes nothing', async () => {
  const target = readlinkSync(dist);
  const again = await runBuild();
  assert.equal(again.code, 0);
  assert.match(again.output, /up to date/);
  assert.equal(readlinkSync(dist), target);
});

test('switching to a new build never leaves a running server without its web client', async () => {
  const real = readlinkSync(dist);
  // A build that is not the sources' own stands in for the one an older checkout left behind.
  const stale = path.join(web, 'dist-builds', 'stale-build-for-test');
  mkdirSync(stale, { recursive: true });
  writeFileSync(path.join(stale, 'index.html'), '<!doctype html><title>Stale</title>');
  symlinkSync(path.relative(web, stale), `${dist}.test-link`);
  renameSync(`${dist}.test-link`, dist);
  assert.match(await (await fetch(`${server.url}/`)).text(), /<title>Stale/);

  const building = runBuild();
  let finished = false;
  void building.then(() => (finished = true));
  const answers: number[] = [];
  while (!finished) answers.push((await fetch(`${server.url}/`)).status);
  const { code, output } = await building;

  assert.equal(code, 0, output);
  assert.match(output, /is built/);
  assert.ok(answers.length > 0);
  assert.deepEqual([...new Set(answers)], [200], 'every request during the switch got the page');
  assert.ok(lstatSync(dist).isSymbolicLink());
  assert.equal(readlinkSync(dist), real);
  assert.doesNotMatch(await (await fetch(`${server.url}/`)).text(), /<title>Stale/);
  assert.equal(existsSync(stale), false, 'the build no longer linked is removed');
});
