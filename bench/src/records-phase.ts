import { rmSync } from 'node:fs';
import type { EndpointInput } from '@enclave/protocol';
import { EnclaveClient } from '@enclave/sdk';
import { seededRandom } from '@enclave/testkit';
import { signInAdmin } from './enclave-setup';
import { LatencyHistogram } from './latency-histogram';
import { nodeHttpFetch } from './node-http-fetch';
import { prepareSearchDataset, type SearchDatasetShape } from './search-dataset';
import { SEARCH_KINDS } from './search-phase';
import { ServerProcess } from './server-process';

type RecordsBody = EndpointInput<'searchRecords'>['body'];

export interface RecordsPhaseOptions extends SearchDatasetShape {
  /** Timed searches per query kind, after a short warm-up. */
  requestsPerKind: number;
  /** Members who each send, edit and delete a few messages through the API, so the records index is not empty. */
  changingMembers: number;
  pin: boolean;
  cacheDir?: string | undefined;
}

export interface RecordsLatency {
  requests: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
  meanResults: number;
}

export interface RecordsPhaseResult {
  messages: number;
  /** Versions and deleted messages made before timing, which the records index holds. */
  keptTexts: number;
  /** The first search after those changes, which brings the records index up to date. */
  catchUpMs: number;
  kinds: Record<string, RecordsLatency>;
  all: RecordsLatency;
  errors: number;
}

/**
 * Compliance search at people's-search scale: the same 1,000,000-message data set as `bench:search` (generated, or
 * copied from its cache), a compliance officer, some edits and deletes made through the API, then timed
 * `searchRecords` requests one at a time over HTTP: words of each kind people's bench times, a custodian alone, a
 * custodian with a word, and a room with a week's date range.
 */
export async function runRecordsPhase(options: RecordsPhaseOptions, log: (line: string) => void): Promise<RecordsPhaseResult> {
  const dataset = await prepareSearchDataset(options, { pin: options.pin, cacheDir: options.cacheDir }, log);
  const random = seededRandom(23);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  let server: ServerProcess | undefined;
  try {
    server = await ServerProcess.start('enclave', { env: dataset.env, pin: options.pin });
    const transport = nodeHttpFetch();
    const admin = await signInAdmin(server.url, dataset.env.ENCLAVE_ADMIN_PASSWORD!);
    const officerPassword = `officer-${Math.floor(random() * 1e9)}-pw`;
    await admin.endpoint('createUser')({ body: { username: 'bench-officer', password: officerPassword, displayName: 'Bench Officer', role: 'compliance' } });
    const officer = new EnclaveClient({ baseUrl: server.url, fetch: transport });
    await officer.login('bench-officer', officerPassword);

    let keptTexts = 0;
    for (const room of dataset.rooms.slice(0, options.changingMembers)) {
      const member = room.members[0]!;
      const client = new EnclaveClient({ baseUrl: server.url, token: member.token, fetch: transport });
      const send = async (text: string) => (await client.endpoint('sendMessage')({ params: { roomId: room.id }, body: { text } })).message;
      const edited = await send(`${pick(SEARCH_KINDS['english-common'])} ${pick(SEARCH_KINDS['chinese-common'])} before the edit`);
      await client.endpoint('editMessage')({ params: { messageId: edited.id }, body: { text: 'edited away' } });
      const deleted = await send(`${pick(SEARCH_KINDS['english-rare'])} ${pick(SEARCH_KINDS['chinese-rare'])} deleted later`);
      await client.endpoint('deleteMessage')({ params: { messageId: deleted.id } });
      keptTexts += 2;
    }
    const catchUpStarted = performance.now();
    await officer.endpoint('searchRecords')({ body: { words: 'deploy' } });
    const catchUpMs = performance.now() - catchUpStarted;
    log(`records: ${keptTexts} kept texts indexed by the first search in ${catchUpMs.toFixed(0)} ms`);

    const userIds = dataset.users.map((user) => user.user.id);
    const roomIds = dataset.rooms.map((room) => room.id);
    const weekAgo = new Date(Date.now() - 7 * 86_400_000).toISOString();
    const bodies: Record<string, () => RecordsBody> = {
      ...Object.fromEntries(Object.entries(SEARCH_KINDS).map(([kind, words]) => [`words ${kind}`, () => ({ words: pick(words) })])),
      custodian: () => ({ custodianIds: [pick(userIds)] }),
      'custodian and word': () => ({ custodianIds: [pick(userIds)], words: pick(SEARCH_KINDS['english-common']) }),
      'room and week': () => ({ roomIds: [pick(roomIds)], from: weekAgo }),
    };
    let errors = 0;
    const timed = async (histograms: readonly LatencyHistogram[], counts: number[] | undefined, body: RecordsBody) => {
      const startedAt = performance.now();
      try {
        const { records } = await officer.endpoint('searchRecords')({ body });
        counts?.push(records.length);
      } catch {
        errors += 1;
      }
      const ms = performance.now() - startedAt;
      for (const histogram of histograms) histogram.record(ms);
    };
    const kindNames = Object.keys(bodies);
    for (let i = 0; i < 50; i++) await timed([], undefined, bodies[pick(kindNames)]!());
    const allHistogram = new LatencyHistogram();
    const allCounts: number[] = [];
    const kinds: Record<string, RecordsLatency> = {};
    for (const kind of kindNames) {
      const histogram = new LatencyHistogram();
      const counts: number[] = [];
      for (let i = 0; i < options.requestsPerKind; i++) await timed([histogram, allHistogram], counts, bodies[kind]!());
      allCounts.push(...counts);
      kinds[kind] = figures(histogram, counts);
      log(`records ${kind.padEnd(24)} p50 ${kinds[kind].p50Ms.toFixed(1)} ms  p95 ${kinds[kind].p95Ms.toFixed(1)} ms  p99 ${kinds[kind].p99Ms.toFixed(1)} ms  ${kinds[kind].meanResults.toFixed(1)} results/page`);
    }
    return { messages: dataset.messages, keptTexts, catchUpMs, kinds, all: figures(allHistogram, allCounts), errors };
  } finally {
    await server?.stop();
    rmSync(dataset.dataDir, { recursive: true, force: true });
  }
}

function figures(histogram: LatencyHistogram, counts: readonly number[]): RecordsLatency {
  return {
    requests: histogram.count,
    p50Ms: histogram.quantile(0.5),
    p95Ms: histogram.quantile(0.95),
    p99Ms: histogram.quantile(0.99),
    maxMs: histogram.max,
    meanResults: counts.reduce((sum, n) => sum + n, 0) / Math.max(1, counts.length),
  };
}
