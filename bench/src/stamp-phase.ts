import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { EnclaveClient } from '@enclave/sdk';
import { buildRoom, buildUser, sendConfirmed } from '@enclave/testkit';
import { photoLikeJpeg, textPdf } from './bench-files';
import type { LoopDelayFigures } from './bench-ipc';
import { sleep } from './concurrency';
import { signInAdmin } from './enclave-setup';
import { LatencyHistogram } from './latency-histogram';
import { nodeHttpFetch } from './node-http-fetch';
import { ServerProcess } from './server-process';

export const BENCH_STAMP_SETTINGS = { downloads: 30, warmupRounds: 3, photoWidth: 3000, photoHeight: 2250, pdfPages: 50, loopDelayDownloads: 10, idleMs: 3_000 };
export type StampSettings = typeof BENCH_STAMP_SETTINGS;

export type StampFileKind = 'photo' | 'pdf';
export type StampMarking = 'unstamped' | 'stamped';

/** One file downloaded from one room: its size as uploaded, and the download times from request to last byte. */
export interface DownloadFigures {
  kind: StampFileKind;
  marking: StampMarking;
  uploadedBytes: number;
  downloads: number;
  p50Ms: number;
  p95Ms: number;
}

export interface StampResult {
  settings: StampSettings;
  cases: DownloadFigures[];
  /** Stamped over unstamped, per file kind. */
  ratios: Record<StampFileKind, { p50: number; p95: number }>;
  /** The server's event-loop delay idle, and during back-to-back downloads of each marking. */
  loopDelay: { idle: LoopDelayFigures; stamped: LoopDelayFigures; unstamped: LoopDelayFigures };
  /**
   * Every stamped download differed from the uploaded bytes and every unstamped one matched them: otherwise the two
   * lanes measured the same thing and the ratio would say nothing.
   */
  verified: boolean;
}

interface SharedFile {
  kind: StampFileKind;
  marking: StampMarking;
  fileId: string;
  original: Uint8Array;
}

/**
 * The cost of stamped downloads (issue 16). One server; Alice shares a 5 MB photo and a 50-page PDF in a group whose
 * view is marked (a Confidential ceiling, files labelled Confidential) and the same two files in an unmarked group;
 * Bob downloads them one at a time, the four cases in a rotating order every round so machine noise reaches all
 * of them alike. Then the server's event-loop delay is taken idle and over back-to-back downloads of each marking.
 */
export async function runStampPhase(settings: StampSettings, options: { pin: boolean }, log: (line: string) => void): Promise<StampResult> {
  const photo = await photoLikeJpeg(1, settings.photoWidth, settings.photoHeight);
  const pdf = await textPdf(settings.pdfPages);
  log(`stamp: a ${sizeText(photo.length)} photo and a ${settings.pdfPages}-page PDF of ${sizeText(pdf.length)}, ${settings.downloads} downloads of each, stamped and unstamped`);
  const dataDir = mkdtempSync(path.join(tmpdir(), 'enclave-bench-stamp-'));
  const adminPassword = randomBytes(12).toString('hex');
  const env = { ENCLAVE_DATA_DIR: dataDir, ENCLAVE_ADMIN_PASSWORD: adminPassword, ENCLAVE_PASSWORD_HASH_COST: '10', ENCLAVE_LOG_LEVEL: 'silent' };
  const server = await ServerProcess.start('enclave', { env, pin: options.pin });
  try {
    const { files, downloader } = await shareFiles(server.url, adminPassword, { photo, pdf });
    let verified = true;
    const download = async (file: SharedFile) => {
      const startedAt = performance.now();
      const bytes = await downloader(file.fileId);
      const ms = performance.now() - startedAt;
      const unchanged = Buffer.from(bytes).equals(Buffer.from(file.original));
      if (unchanged !== (file.marking === 'unstamped')) verified = false;
      return ms;
    };

    const histograms = files.map(() => new LatencyHistogram());
    for (let round = 0; round < settings.warmupRounds + settings.downloads; round += 1) {
      for (let turn = 0; turn < files.length; turn += 1) {
        const index = (round + turn) % files.length;
        const ms = await download(files[index]!);
        if (round >= settings.warmupRounds) histograms[index]!.record(ms);
      }
    }
    const cases = files.map((file, index): DownloadFigures => ({
      kind: file.kind,
      marking: file.marking,
      uploadedBytes: file.original.length,
      downloads: histograms[index]!.count,
      p50Ms: histograms[index]!.quantile(0.5),
      p95Ms: histograms[index]!.quantile(0.95),
    }));

    const loopDelayOver = async (work: () => Promise<unknown>) => {
      await server.startLoopDelay();
      await work();
      return server.stopLoopDelay();
    };
    const backToBack = (marking: StampMarking) => async () => {
      for (let i = 0; i < settings.loopDelayDownloads; i += 1) for (const file of files.filter((shared) => shared.marking === marking)) await download(file);
    };
    const loopDelay = {
      idle: await loopDelayOver(() => sleep(settings.idleMs)),
      stamped: await loopDelayOver(backToBack('stamped')),
      unstamped: await loopDelayOver(backToBack('unstamped')),
    };
    return { settings, cases, ratios: { photo: ratiosOf(cases, 'photo'), pdf: ratiosOf(cases, 'pdf') }, loopDelay, verified };
  } finally {
    await server.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

/**
 * Alice uploads each file into both groups and shares it in a message; Bob, a member of both, is the downloader.
 * Both are cleared for Confidential, which a room with that ceiling needs of its members.
 */
async function shareFiles(url: string, adminPassword: string, originals: Record<StampFileKind, Uint8Array>) {
  const organisation = { url, admin: { client: await signInAdmin(url, adminPassword) } };
  const alice = await buildUser(organisation, { clearance: 'confidential' });
  const bob = await buildUser(organisation, { clearance: 'confidential' });
  const { room: marked } = await alice.client.endpoint('createRoom')({ body: { kind: 'group', name: 'board', memberIds: [bob.user.id], ceiling: 'confidential' } });
  const unmarked = await buildRoom(organisation, { owner: alice.client, name: 'team', members: [bob.user] });
  const types: Record<StampFileKind, string> = { photo: 'image/jpeg', pdf: 'application/pdf' };
  const share = async (kind: StampFileKind, marking: StampMarking): Promise<SharedFile> => {
    const roomId = marking === 'stamped' ? marked.id : unmarked.id;
    const label = marking === 'stamped' ? { label: 'confidential' } : {};
    const name = kind === 'photo' ? 'site.jpg' : 'report.pdf';
    const { file } = await alice.client.uploadFile(roomId, new Blob([Buffer.from(originals[kind])], { type: types[kind] }), { name, ...label });
    await sendConfirmed(alice.client, roomId, { text: name, fileIds: [file.id], ...label });
    return { kind, marking, fileId: file.id, original: originals[kind] };
  };
  const files = [await share('photo', 'unstamped'), await share('photo', 'stamped'), await share('pdf', 'unstamped'), await share('pdf', 'stamped')];
  return { files, downloader: downloaderFor(bob.client) };
}

/** Downloads a file's bytes as the client's user, over a kept-alive node:http connection, as the browser's link would. */
function downloaderFor(client: EnclaveClient) {
  const transport = nodeHttpFetch();
  const authorization = `Bearer ${client.currentToken}`;
  return async (fileId: string): Promise<Uint8Array> => {
    const response = await transport(client.fileContentUrl(fileId, 'attachment'), { headers: { authorization } });
    if (response.status !== 200) throw new Error(`download of ${fileId} answered ${response.status}: ${await response.text()}`);
    return new Uint8Array(await response.arrayBuffer());
  };
}

function ratiosOf(cases: readonly DownloadFigures[], kind: StampFileKind): { p50: number; p95: number } {
  const of = (marking: StampMarking) => cases.find((figures) => figures.kind === kind && figures.marking === marking)!;
  const [stamped, unstamped] = [of('stamped'), of('unstamped')];
  return { p50: stamped.p50Ms / unstamped.p50Ms, p95: stamped.p95Ms / unstamped.p95Ms };
}

/** Megabytes for the photo, kilobytes for a PDF of text, which is far smaller. */
export function sizeText(bytes: number): string {
  return bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${Math.round(bytes / 1e3)} kB`;
}
