import { createHash, randomBytes } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { mapWithLimit } from './concurrency';
import { createSignedInUsers, signInAdmin, type BenchUser } from './enclave-setup';
import { seededRandom } from '@enclave/testkit';
import { loadSearchData } from './search-data';
import { ServerProcess } from './server-process';

/** How big the search phase's data set is. */
export interface SearchDatasetShape {
  messages: number;
  users: number;
  rooms: number;
  membersPerRoom: number;
}

/** A stopped server's data directory holding the data set, and what the timed requests need to know about it. */
export interface SearchDataset {
  dataDir: string;
  /** The server's environment for this data directory. */
  env: Record<string, string>;
  users: BenchUser[];
  rooms: { id: string; members: BenchUser[] }[];
  /** A few message ids per room, as anchors for older history pages. */
  anchors: Map<string, string[]>;
  messages: number;
  generationSeconds: number;
  databaseBytes: number;
  /** True when the data came from the cache rather than being generated in this run. */
  fromCache: boolean;
}

/** What the cache keeps next to the data directory, as JSON. */
interface CacheManifest {
  key: string;
  adminPassword: string;
  users: BenchUser[];
  rooms: { id: string; memberIds: string[] }[];
  anchors: [string, string[]][];
  messages: number;
  generationSeconds: number;
}

/**
 * The cache directory asked for in `ENCLAVE_BENCH_SEARCH_CACHE`, if any. The data set is about 0.5 GB, and a
 * cached one copied in seconds, so a change can be measured several times without minutes of generating each.
 */
export function searchCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.ENCLAVE_BENCH_SEARCH_CACHE ? path.resolve(env.ENCLAVE_BENCH_SEARCH_CACHE) : undefined;
}

const SETUP_CONCURRENCY = 16;
const MANIFEST = 'manifest.json';
const CACHED_DATA = 'data';
const generatorSource = fileURLToPath(new URL('./search-data.ts', import.meta.url));

/**
 * Makes the search phase's data set in a fresh data directory: users and rooms through a server's API, then the
 * messages loaded straight into its stopped database. Generating a million messages takes minutes, so with
 * `cacheDir` the result is also kept there, and a later run of the same shape and generator copies it instead.
 * The copy keeps the cache untouched by the run (the server writes sessions and its log as it answers).
 */
export async function prepareSearchDataset(
  shape: SearchDatasetShape,
  options: { pin: boolean; cacheDir?: string | undefined },
  log: (line: string) => void,
): Promise<SearchDataset> {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-bench-search-'));
  try {
    const key = cacheKey(shape);
    const cached = options.cacheDir ? readManifest(options.cacheDir, key) : undefined;
    if (cached && options.cacheDir) {
      cpSync(path.join(options.cacheDir, CACHED_DATA), dataDir, { recursive: true });
      log(`search: reusing the ${cached.messages.toLocaleString('en-US')} messages cached in ${options.cacheDir}`);
      return datasetOf(dataDir, cached, true);
    }
    const manifest = await generate(dataDir, shape, key, options.pin, log);
    if (options.cacheDir) {
      rmSync(options.cacheDir, { recursive: true, force: true });
      mkdirSync(options.cacheDir, { recursive: true });
      cpSync(dataDir, path.join(options.cacheDir, CACHED_DATA), { recursive: true });
      // The manifest goes last: a cache interrupted while copying has none and is generated again.
      writeFileSync(path.join(options.cacheDir, MANIFEST), JSON.stringify(manifest));
      log(`search: data set cached in ${options.cacheDir}`);
    }
    return datasetOf(dataDir, manifest, false);
  } catch (error) {
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
}

async function generate(dataDir: string, shape: SearchDatasetShape, key: string, pin: boolean, log: (line: string) => void): Promise<CacheManifest> {
  const adminPassword = randomBytes(12).toString('hex');
  const random = seededRandom(7);
  const server = await ServerProcess.start('enclave', { env: serverEnv(dataDir, adminPassword), pin });
  let users: BenchUser[];
  let rooms: { id: string; memberIds: string[] }[];
  try {
    const admin = await signInAdmin(server.url, adminPassword);
    users = await createSignedInUsers(admin, shape.users);
    rooms = await mapWithLimit(Array.from({ length: shape.rooms }, (_, index) => index), SETUP_CONCURRENCY, async (index) => {
      const members = sample(users, shape.membersPerRoom, random);
      const { room } = await admin.endpoint('createRoom')({ body: { kind: 'group', name: `search-${index}`, memberIds: members.map((member) => member.user.id) } });
      return { id: room.id, memberIds: members.map((member) => member.user.id) };
    });
  } finally {
    await server.stop();
  }
  log(`search: loading ${shape.messages.toLocaleString('en-US')} messages into ${shape.rooms} rooms of ${shape.membersPerRoom} members`);
  const loaded = await loadSearchData(dataDir, { messages: shape.messages, rooms });
  log(`search: loaded in ${loaded.seconds.toFixed(0)} s`);
  return { key, adminPassword, users, rooms, anchors: [...loaded.anchors], messages: loaded.messages, generationSeconds: loaded.seconds };
}

function datasetOf(dataDir: string, manifest: CacheManifest, fromCache: boolean): SearchDataset {
  const usersById = new Map(manifest.users.map((user) => [user.user.id, user]));
  return {
    dataDir,
    env: serverEnv(dataDir, manifest.adminPassword),
    users: manifest.users,
    rooms: manifest.rooms.map((room) => ({ id: room.id, members: room.memberIds.map((id) => usersById.get(id)!) })),
    anchors: new Map(manifest.anchors),
    messages: manifest.messages,
    generationSeconds: manifest.generationSeconds,
    databaseBytes: statSync(path.join(dataDir, 'enclave.db')).size,
    fromCache,
  };
}

/** Encryption is on, said out loud rather than left to the default: issue 14's targets are for encrypted data. */
function serverEnv(dataDir: string, adminPassword: string): Record<string, string> {
  return { ENCLAVE_DATA_DIR: dataDir, ENCLAVE_ADMIN_PASSWORD: adminPassword, ENCLAVE_PASSWORD_HASH_COST: '10', ENCLAVE_LOG_LEVEL: 'silent', ENCLAVE_ENCRYPTION: 'on' };
}

/**
 * The cache is valid only for the same shape and the same generator: a changed generator would otherwise be
 * measured on the old text. (A changed schema is not part of the key: the server migrates the copy at start.)
 */
function cacheKey(shape: SearchDatasetShape): string {
  const { messages, users, rooms, membersPerRoom } = shape;
  return createHash('sha256')
    .update(JSON.stringify({ messages, users, rooms, membersPerRoom }))
    .update(readFileSync(generatorSource))
    .digest('hex');
}

function readManifest(cacheDir: string, key: string): CacheManifest | undefined {
  const file = path.join(cacheDir, MANIFEST);
  if (!existsSync(file)) return undefined;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as CacheManifest;
  return manifest.key === key ? manifest : undefined;
}

function sample(users: readonly BenchUser[], count: number, random: () => number): BenchUser[] {
  const chosen = new Set<BenchUser>();
  while (chosen.size < Math.min(count, users.length)) chosen.add(users[Math.floor(random() * users.length)]!);
  return [...chosen];
}
