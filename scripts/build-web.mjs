// `npm run build:web` (and so `npm start`): builds the web client only when what it is built from changed, and
// never empties the build a running server is serving. Each build goes into `packages/web/dist-builds/<hash>`,
// named by a hash of its sources; `packages/web/dist` is a symbolic link to the current one, replaced by a rename,
// which is atomic. A server started earlier keeps answering from `dist` throughout, and a second `npm start` in
// the same checkout finds the build up to date and starts at once.
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, lstatSync, readdirSync, readFileSync, readlinkSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const web = path.join(root, 'packages/web');
const dist = path.join(web, 'dist');
const builds = path.join(web, 'dist-builds');

/** What the client is built from: its own sources, the protocol and SDK it bundles, and the locked dependencies. */
const inputs = [
  'packages/web/src',
  'packages/web/public',
  'packages/web/index.html',
  'packages/web/vite.config.ts',
  'packages/web/tsconfig.json',
  'packages/web/package.json',
  'packages/protocol/src',
  'packages/protocol/package.json',
  'packages/sdk/src',
  'packages/sdk/package.json',
  'tsconfig.base.json',
  'package-lock.json',
];

const hash = sourceHash();
const current = currentBuild();
if (current === hash && existsSync(path.join(builds, hash, 'index.html'))) {
  console.log(`The web client is up to date (${hash.slice(0, 12)}).`);
  process.exit(0);
}
const target = path.join(builds, hash);
if (!existsSync(path.join(target, 'index.html'))) build(target);
switchTo(hash);
removeOldBuilds(hash);
console.log(`The web client is built (${hash.slice(0, 12)}).`);

/** Every input file's path and content, in a fixed order, hashed together. */
function sourceHash() {
  const digest = createHash('sha256');
  const files = inputs.flatMap((input) => filesUnder(path.join(root, input))).sort();
  for (const file of files) {
    digest.update(path.relative(root, file));
    digest.update('\0');
    digest.update(readFileSync(file));
    digest.update('\0');
  }
  return digest.digest('hex').slice(0, 32);
}

function filesUnder(entry) {
  if (!existsSync(entry)) return [];
  if (!statSync(entry).isDirectory()) return [entry];
  return readdirSync(entry).flatMap((name) => filesUnder(path.join(entry, name)));
}

/** The hash `dist` points at; undefined when it is missing or a directory left by an older version of this script. */
function currentBuild() {
  if (!existsSync(dist) || !lstatSync(dist).isSymbolicLink()) return undefined;
  return path.basename(readlinkSync(dist));
}

/** Builds into a directory of this process's own, renamed into place only once complete. */
function build(destination) {
  const scratch = `${destination}.building-${process.pid}`;
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', 'build', '-w', '@enclave/web', '--', '--outDir', scratch, '--emptyOutDir'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    process.exit(result.status ?? 1);
  }
  // Another `npm start` may have finished the same build meanwhile; its copy is as good as ours.
  if (existsSync(destination)) rmSync(scratch, { recursive: true, force: true });
  else renameSync(scratch, destination);
}

/** Points `dist` at the build: a new link renamed over the old one, so `dist` is never missing or half-written. */
function switchTo(buildHash) {
  if (existsSync(dist) && !lstatSync(dist).isSymbolicLink()) {
    // A directory from before builds were kept apart: moved aside once (a rename cannot replace a directory).
    renameSync(dist, path.join(builds, `previous-${Date.now()}`));
  }
  const link = `${dist}.link-${process.pid}`;
  rmSync(link, { force: true });
  symlinkSync(path.join('dist-builds', buildHash), link);
  renameSync(link, dist);
}

/**
 * Removes the builds `dist` no longer points at: a running server reads every file through `dist`, so it never
 * asks for them again (a file it is sending stays readable until sent). Builds still under way (`.building-<pid>`)
 * are another process's and are left alone.
 */
function removeOldBuilds(keep) {
  for (const name of readdirSync(builds)) {
    if (name === keep || name.includes('.building-')) continue;
    rmSync(path.join(builds, name), { recursive: true, force: true });
  }
}
